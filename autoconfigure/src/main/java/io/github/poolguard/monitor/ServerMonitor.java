package io.github.poolguard.monitor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import io.github.poolguard.pool.ConnectionNames;
import io.github.poolguard.pool.ServerConnector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Samples the server's connections on one dedicated connection of its own
 * ({@code <application>:monitor}, never from a pool), on a daemon thread, every interval. The
 * latest {@link ServerReading} is cached: readers never touch the server. The connection is
 * reopened when lost; while the server cannot be reached the reading carries the reason.
 * Crossing a {@link PressureThresholds threshold} publishes a {@link ConnectionPressureEvent}
 * and logs one line.
 */
public class ServerMonitor implements AutoCloseable, SmartLifecycle {

	/**
	 * The role in the monitor connection's {@code application_name}.
	 */
	public static final String CONNECTION_ROLE = "monitor";

	/**
	 * Applications other than this one listed by name in a sample; the rest are summed.
	 */
	static final int TOP_OTHER_APPLICATIONS = 5;

	private static final Log logger = LogFactory.getLog(ServerMonitor.class);

	private static final String SETTINGS_QUERY = """
			SELECT current_setting('max_connections')::int,
			       current_setting('superuser_reserved_connections')::int,
			       current_setting('reserved_connections', true)::int,
			       coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
			""";

	// Rows of other roles hide backend_type and state from a role without pg_read_all_stats,
	// but not usesysid and datid: a hidden row with a user and a database is another role's
	// client (the logical replication launcher has a user but no database).
	private static final String ACTIVITY_QUERY = """
			SELECT coalesce(state, 'unknown'), coalesce(application_name, ''), count(*),
			       coalesce(max(extract(epoch FROM clock_timestamp() - state_change) * 1000)
			           FILTER (WHERE state LIKE 'idle in transaction%'), -1)::bigint
			FROM pg_stat_activity
			WHERE backend_type = 'client backend'
			   OR (backend_type IS NULL AND usesysid IS NOT NULL AND datid IS NOT NULL)
			GROUP BY 1, 2
			""";

	private final ServerConnector connector;

	private final String applicationPrefix;

	private final Duration interval;

	private final Duration queryTimeout;

	private final PressureThresholds thresholds;

	private final IntSupplier appPoolWaiters;

	private final Consumer<? super ConnectionPressureEvent> listener;

	private final Clock clock;

	private final @Nullable String secret;

	private volatile ServerReading reading;

	private @Nullable PeriodicTask scheduler;

	private @Nullable Connection connection;

	private boolean failing;

	private volatile @Nullable String offReason;

	/**
	 * Create a monitor. Nothing happens until {@link #start()}.
	 * @param connector opens the monitor's connection; its connection name should end in
	 * {@code :monitor}
	 * @param applicationName the application's name: its connections are always listed by name
	 * in {@link ServerSample#byApplication()}
	 * @param interval time between samples
	 * @param queryTimeout longest a sampling query may take
	 * @param thresholds the pressure thresholds
	 * @param appPoolWaiters how many threads wait for an app pool connection now
	 * @param listener receives pressure events, on the monitor's thread
	 * @param secret a password never to repeat in a failure reason, or {@code null}
	 */
	public ServerMonitor(ServerConnector connector, String applicationName, Duration interval, Duration queryTimeout,
			PressureThresholds thresholds, IntSupplier appPoolWaiters,
			Consumer<? super ConnectionPressureEvent> listener, @Nullable String secret) {
		this.connector = connector;
		this.applicationPrefix = applicationName + ":";
		this.interval = interval;
		this.queryTimeout = queryTimeout;
		this.thresholds = thresholds;
		this.appPoolWaiters = appPoolWaiters;
		this.listener = listener;
		this.clock = Clock.systemUTC();
		this.secret = (secret != null && !secret.isEmpty()) ? secret : null;
		this.reading = new ServerReading(null, "the monitor has not sampled the server yet", PressureLevel.NORMAL, 0,
				this.clock.instant());
	}

	/**
	 * Take a first sample now, then one every interval on a daemon thread. In an application
	 * context this happens when the context starts, after every listener is registered, so
	 * even a crossing seen by the first sample reaches {@code @EventListener} methods.
	 */
	@Override
	public synchronized void start() {
		if (this.scheduler != null || this.offReason != null) {
			return;
		}
		sample();
		this.scheduler = PeriodicTask.every("poolguard-monitor", this.interval, this::sample);
	}

	/**
	 * Keep the monitor off, for a database it cannot sample (one that is not PostgreSQL).
	 * @param reason why, a plain sentence
	 */
	public void turnOff(String reason) {
		this.offReason = reason;
		close();
	}

	/**
	 * Return why the monitor is off, if it is.
	 * @return the reason given to {@link #turnOff(String)}, or {@code null} while it may run
	 */
	public @Nullable String getOffReason() {
		return this.offReason;
	}

	/**
	 * Return whether a reading is too old to trust: three intervals and a query timeout have
	 * passed without a new one, so the sampler is stuck or far behind.
	 * @param reading the reading
	 * @param now the current time
	 * @return {@code true} when the reading is stale
	 */
	public boolean isStale(ServerReading reading, Instant now) {
		Duration staleAfter = this.interval.multipliedBy(3).plus(this.queryTimeout);
		return Duration.between(reading.readAt(), now).compareTo(staleAfter) > 0;
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * Start before, and stop after, every other lifecycle bean of the application: the monitor
	 * watches while anything else starts or drains.
	 * @return a low phase
	 */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE / 2;
	}

	/**
	 * Stop sampling and close the monitor's connection.
	 */
	@Override
	public void close() {
		PeriodicTask scheduler;
		synchronized (this) {
			scheduler = this.scheduler;
			this.scheduler = null;
		}
		if (scheduler != null) {
			scheduler.stop(this.queryTimeout.plusSeconds(1));
		}
		synchronized (this) {
			closeConnection();
		}
	}

	/**
	 * Return the latest reading. Never touches the server.
	 * @return the reading
	 */
	public ServerReading getReading() {
		return this.reading;
	}

	/**
	 * Return the thresholds this monitor applies.
	 * @return the thresholds
	 */
	public PressureThresholds getThresholds() {
		return this.thresholds;
	}

	/**
	 * Return the time between samples.
	 * @return the interval
	 */
	public Duration getInterval() {
		return this.interval;
	}

	/**
	 * Return the longest a sampling attempt may take.
	 * @return the query timeout
	 */
	public Duration getQueryTimeout() {
		return this.queryTimeout;
	}

	/**
	 * Take one sample now, on the calling thread, and update the reading. Called by the
	 * monitor's own thread; never throws.
	 */
	public synchronized void sample() {
		ServerReading previous = this.reading;
		int waiters = 0;
		try {
			waiters = this.appPoolWaiters.getAsInt();
		}
		catch (RuntimeException ex) {
			// a pool that is not started yet has no waiters
		}
		int waitingSamples = (waiters > 0) ? previous.appPoolWaitingSamples() + 1 : 0;
		ServerSample sample;
		try {
			sample = query();
		}
		catch (SampleFailure ex) {
			closeConnection();
			this.reading = new ServerReading(previous.sample(), ex.getMessage(), previous.level(), waitingSamples,
					this.clock.instant());
			if (!this.failing) {
				this.failing = true;
				logger.warn("PoolGuard: server monitor: " + ex.getMessage()
						+ "; /actuator/health/connections reports DOWN until it reaches the server again");
			}
			return;
		}
		catch (RuntimeException ex) {
			closeConnection();
			this.failing = true;
			this.reading = new ServerReading(previous.sample(), "sampling failed: " + mask(String.valueOf(ex)),
					previous.level(), waitingSamples, this.clock.instant());
			return;
		}
		PressureLevel level = this.thresholds.levelFor(sample.usage(), previous.level());
		this.reading = new ServerReading(sample, null, level, waitingSamples, this.clock.instant());
		if (this.failing) {
			this.failing = false;
			logger.info("PoolGuard: server monitor reached " + this.connector.describe() + " again");
		}
		if (level != previous.level()) {
			logCrossing(previous.level(), level, sample);
			try {
				this.listener.accept(new ConnectionPressureEvent(this, previous.level(), level, sample));
			}
			catch (RuntimeException ex) {
				logger.warn("PoolGuard: a connection pressure listener failed", ex);
			}
		}
	}

	private ServerSample query() throws SampleFailure {
		Connection connection = connection();
		try {
			return read(connection);
		}
		catch (SQLException ex) {
			if ("57014".equals(ex.getSQLState())) {
				throw new SampleFailure("the sampling query took longer than " + this.queryTimeout.toMillis()
						+ " ms (poolguard.monitor.query-timeout); the server may be overloaded");
			}
			throw new SampleFailure("lost the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex));
		}
	}

	private Connection connection() throws SampleFailure {
		Connection connection = this.connection;
		if (connection != null) {
			return connection;
		}
		try {
			connection = this.connector.connect();
		}
		catch (SQLException ex) {
			if ("53300".equals(ex.getSQLState())) {
				throw new SampleFailure("the server refused the monitor connection: too many clients ("
						+ mask(ex.getMessage()) + ")");
			}
			throw new SampleFailure("cannot open the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex));
		}
		try {
			connection.setAutoCommit(true);
			connection.setNetworkTimeout(Runnable::run, (int) this.queryTimeout.plusSeconds(2).toMillis());
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET statement_timeout = " + this.queryTimeout.toMillis());
			}
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw new SampleFailure("cannot prepare the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex));
		}
		this.connection = connection;
		return connection;
	}

	private ServerSample read(Connection connection) throws SQLException {
		int timeoutSeconds = (int) Math.max(1, (this.queryTimeout.toMillis() + 999) / 1000);
		try (Statement statement = connection.createStatement()) {
			statement.setQueryTimeout(timeoutSeconds);
			int maxConnections;
			int superuserReserved;
			Integer reserved;
			boolean superuser;
			try (ResultSet rs = statement.executeQuery(SETTINGS_QUERY)) {
				rs.next();
				maxConnections = rs.getInt(1);
				superuserReserved = rs.getInt(2);
				int value = rs.getInt(3);
				reserved = rs.wasNull() ? null : value;
				superuser = rs.getBoolean(4);
			}
			Map<String, Integer> byState = new LinkedHashMap<>();
			Map<String, Integer> byApplication = new LinkedHashMap<>();
			int inUse = 0;
			int idleInTransaction = 0;
			long oldestIdleMillis = -1;
			try (ResultSet rs = statement.executeQuery(ACTIVITY_QUERY)) {
				while (rs.next()) {
					String state = rs.getString(1);
					String application = rs.getString(2);
					int count = rs.getInt(3);
					inUse += count;
					byState.merge(state, count, Integer::sum);
					byApplication.merge(application.isEmpty() ? ServerSample.UNNAMED : application, count,
							Integer::sum);
					if (state.startsWith("idle in transaction")) {
						idleInTransaction += count;
						oldestIdleMillis = Math.max(oldestIdleMillis, rs.getLong(4));
					}
				}
			}
			return new ServerSample(this.clock.instant(), maxConnections, superuserReserved, reserved, inUse,
					byState, boundApplications(byApplication), idleInTransaction,
					(oldestIdleMillis >= 0) ? Duration.ofMillis(oldestIdleMillis) : null, superuser,
					instances(byApplication.keySet()));
		}
	}

	// Every instance keeps its monitor connection open, so an instance that is up is seen here
	// even when its pools sit idle or go through PgBouncer.
	private List<String> instances(Set<String> applicationNames) {
		Set<String> instances = new TreeSet<>();
		for (String name : applicationNames) {
			String instance = ConnectionNames.instanceOf(this.applicationPrefix, name);
			if (instance != null) {
				instances.add(instance.isEmpty() ? ServerSample.UNNAMED : instance);
			}
		}
		return new ArrayList<>(instances);
	}

	private Map<String, Integer> boundApplications(Map<String, Integer> counts) {
		Map<String, Integer> bounded = new LinkedHashMap<>();
		List<Map.Entry<String, Integer>> others = new ArrayList<>();
		counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach((entry) -> {
			if (entry.getKey().startsWith(this.applicationPrefix)) {
				bounded.put(entry.getKey(), entry.getValue());
			}
			else {
				others.add(entry);
			}
		});
		int rest = 0;
		for (int i = 0; i < others.size(); i++) {
			if (i < TOP_OTHER_APPLICATIONS) {
				bounded.put(others.get(i).getKey(), others.get(i).getValue());
			}
			else {
				rest += others.get(i).getValue();
			}
		}
		if (rest > 0) {
			bounded.put(ServerSample.OTHERS, rest);
		}
		return bounded;
	}

	private void logCrossing(PressureLevel from, PressureLevel to, ServerSample sample) {
		String usage = sample.inUse() + " of " + sample.usable() + " usable server connections in use ("
				+ percent(sample.usage()) + ", max_connections " + sample.maxConnections() + "); by application: "
				+ sample.byApplication();
		if (to == PressureLevel.CRITICAL) {
			logger.error("PoolGuard: connection pressure CRITICAL: " + usage + ", at or above the critical threshold "
					+ percent(this.thresholds.critical()) + " (poolguard.health.critical-threshold). New connections"
					+ " will soon be refused with \"too many clients\".");
		}
		else if (to.compareTo(from) > 0) {
			logger.warn("PoolGuard: connection pressure WARNING: " + usage + ", at or above the warning threshold "
					+ percent(this.thresholds.warning()) + " (poolguard.health.warning-threshold).");
		}
		else {
			logger.info("PoolGuard: connection pressure down from " + from + " to " + to + ": " + usage + ".");
		}
	}

	private static String percent(double share) {
		return Math.round(share * 100) + "%";
	}

	private String mask(@Nullable String message) {
		if (message == null) {
			return "(no message)";
		}
		return (this.secret != null) ? message.replace(this.secret, "******") : message;
	}

	private static String state(SQLException ex) {
		return (ex.getSQLState() != null) ? " (SQLState " + ex.getSQLState() + ")" : "";
	}

	private void closeConnection() {
		Connection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			closeQuietly(connection);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// the connection is gone either way
		}
	}

	private static final class SampleFailure extends Exception {

		SampleFailure(String message) {
			super(message, null, false, false);
		}

	}

}
