package io.github.poolguard.internal.pgbouncer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.housekeeping.PeriodicWork;
import io.github.poolguard.internal.pool.ServerConnector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Reads PgBouncer's admin console (the virtual {@code pgbouncer} database): the pool size that
 * caps the application's server connections, and {@code SHOW POOLS} every interval on a daemon
 * thread. The latest reading is cached; readers never touch PgBouncer. The console speaks only
 * the simple query protocol and refuses the {@code SET}s pgjdbc sends after logging in, so the
 * settings of {@link ConsoleUrl} are added to the URL.
 */
public class PgBouncerConsole implements AutoCloseable, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PgBouncerConsole.class);

	private final ServerConnector connector;

	private final String description;

	private final String database;

	private final Duration interval;

	private volatile @Nullable PgBouncerPools pools;

	private volatile @Nullable String failure = "PgBouncer's admin console has not been read yet";

	// one WARN when reading starts failing (the first reading included), one INFO when it recovers
	private boolean failing;

	private final PeriodicWork reading = new PeriodicWork("poolguard-pgbouncer");

	private @Nullable Connection connection;

	/**
	 * Create a console reader. Nothing happens until {@link #start()} or a read.
	 * @param connector connects to the admin console: its URL, the admin or stats user, and
	 * the pool's driver settings
	 * @param database the name clients use for the application's database in PgBouncer
	 * @param interval time between readings of {@code SHOW POOLS}
	 */
	public PgBouncerConsole(ServerConnector connector, String database, Duration interval) {
		String adminUrl = connector.getUrl();
		Assert.state(adminUrl != null, "no admin console URL");
		this.connector = connector.withUrl(ConsoleUrl.of(adminUrl));
		// the URL as the user wrote it, without the driver settings added for the console
		this.description = connector.describe();
		this.database = database;
		this.interval = interval;
	}

	/**
	 * Return a description of the console's URL, without credentials.
	 * @return the description
	 */
	public String describe() {
		return this.description;
	}

	/**
	 * Return the server connections PgBouncer may open for the database: its
	 * {@code pool_size} plus {@code reserve_pool} ({@code reserve_pool_size} from PgBouncer 1.24
	 * on) from {@code SHOW DATABASES}, or the {@code default_pool_size} plus
	 * {@code reserve_pool_size} from {@code SHOW CONFIG} when the database is not listed.
	 * @return the pool size
	 * @throws SQLException when the console cannot be read
	 */
	public synchronized int readPoolSize() throws SQLException {
		Connection connection = connection();
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SHOW DATABASES")) {
			while (rs.next()) {
				if (this.database.equals(rs.getString("name"))) {
					return rs.getInt("pool_size") + rs.getInt(reservePoolColumn(rs.getMetaData()));
				}
			}
		}
		int poolSize = 0;
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SHOW CONFIG")) {
			while (rs.next()) {
				String key = rs.getString("key");
				if ("default_pool_size".equals(key) || "reserve_pool_size".equals(key)) {
					poolSize += Integer.parseInt(rs.getString("value").trim());
				}
			}
		}
		return poolSize;
	}

	private static String reservePoolColumn(ResultSetMetaData columns) throws SQLException {
		for (int column = 1; column <= columns.getColumnCount(); column++) {
			if ("reserve_pool".equals(columns.getColumnLabel(column))) {
				return "reserve_pool";
			}
		}
		return "reserve_pool_size";
	}

	/**
	 * Read {@code SHOW POOLS} now and cache the result. Never throws.
	 */
	public synchronized void sample() {
		try {
			int clientsActive = 0;
			int clientsWaiting = 0;
			int serversActive = 0;
			int serversIdle = 0;
			long maxWaitMicros = 0;
			try (Statement statement = connection().createStatement();
					ResultSet rs = statement.executeQuery("SHOW POOLS")) {
				while (rs.next()) {
					if (!this.database.equals(rs.getString("database"))) {
						continue;
					}
					clientsActive += rs.getInt("cl_active");
					clientsWaiting += rs.getInt("cl_waiting");
					serversActive += rs.getInt("sv_active");
					serversIdle += rs.getInt("sv_idle");
					long micros = rs.getLong("maxwait") * 1_000_000 + rs.getLong("maxwait_us");
					maxWaitMicros = Math.max(maxWaitMicros, micros);
				}
			}
			this.pools = new PgBouncerPools(Instant.now(), clientsActive, clientsWaiting, serversActive, serversIdle,
					Duration.ofNanos(maxWaitMicros * 1000));
			if (this.failing) {
				logger.info("PoolGuard: reading PgBouncer's admin console at " + describe() + " again");
			}
			this.failing = false;
			this.failure = null;
		}
		catch (SQLException | RuntimeException ex) {
			closeConnection();
			String reason = "cannot read PgBouncer's admin console at " + describe() + ": "
					+ this.connector.mask(ex.getMessage());
			if (!this.failing) {
				logger.warn("PoolGuard: " + reason);
			}
			this.failing = true;
			this.failure = reason;
		}
	}

	/**
	 * Return a driver message with the console login's secrets masked.
	 * @param message the message, or {@code null}
	 * @return the message, safe to show
	 */
	public String mask(@Nullable String message) {
		return this.connector.mask(message);
	}

	/**
	 * Return the latest successful {@code SHOW POOLS} reading.
	 * @return the pools, or {@code null} before the first successful reading
	 */
	public @Nullable PgBouncerPools getPools() {
		return this.pools;
	}

	/**
	 * Return why the latest reading failed.
	 * @return the reason, without credentials, or {@code null} when it succeeded
	 */
	public @Nullable String getFailure() {
		return this.failure;
	}

	/**
	 * Read now, then every interval on the scheduler; in an application context this happens
	 * when the context starts.
	 */
	@Override
	public void start() {
		if (this.reading.isRunning()) {
			return;
		}
		sample();
		this.reading.start(this.interval, this.interval, this::sample);
	}

	/**
	 * Run the periodic work on the application's one scheduler instead of a thread of its own.
	 * Set before {@link #start()}.
	 * @param housekeeping the scheduler
	 */
	public void scheduleOn(Housekeeping housekeeping) {
		this.reading.scheduleOn(housekeeping);
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.reading.isRunning();
	}

	/**
	 * Start with the server monitor, before the application's own lifecycle beans, and stop after
	 * them.
	 * @return a low phase
	 */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE / 2;
	}

	/**
	 * Stop reading and close the console connection.
	 */
	@Override
	public void close() {
		this.reading.stop(Duration.ofSeconds(5));
		synchronized (this) {
			closeConnection();
		}
	}

	private Connection connection() throws SQLException {
		if (this.connection == null) {
			this.connection = this.connector.connect();
		}
		return this.connection;
	}

	private void closeConnection() {
		Connection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// gone either way
			}
		}
	}

}
