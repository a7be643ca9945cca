package io.github.poolguard.internal.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.IntSupplier;

import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.housekeeping.PeriodicWork;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.internal.text.Formats;
import io.github.poolguard.monitor.ConnectionPressureEvent;
import io.github.poolguard.monitor.PressureLevel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Samples the server's connections on one dedicated connection of its own
 * ({@code <application>:monitor:<instance>}, never from a pool), on a daemon thread, every
 * interval. The latest {@link ServerReading} is cached: readers never touch the server. A sample
 * that fails on a connection that still works (a statement timeout on a busy server) keeps the
 * connection: its {@code backend_start} is this instance's place in the fleet. The connection
 * is reopened only when it is broken; while the server cannot be reached the reading carries
 * the reason. Crossing a {@link PressureThresholds threshold} publishes a
 * {@link ConnectionPressureEvent} and logs one line.
 * <p>
 * The server ends the connection of a monitor that stops sampling (a frozen JVM, a network
 * partition) after its {@link #getIdleLimit() idle limit}: the session sets
 * {@code idle_session_timeout} (PostgreSQL 14 and later) and TCP keepalives, and notes the
 * limit for the other instances, which stop counting it as an instance once it is idle longer.
 * <p>
 * Only the monitor's own thread samples, connects and calls listeners, and it holds no lock
 * while it does: {@link #close()} never waits behind a reconnect. A closed monitor stays closed.
 */
public class ServerMonitor implements AutoCloseable, SmartLifecycle {

	/**
	 * The role in the monitor connection's {@code application_name}.
	 */
	public static final String CONNECTION_ROLE = ConnectionNames.MONITOR;

	/**
	 * The shortest {@link #getIdleLimit() idle limit}: with the short intervals of tests or
	 * eager settings, a garbage-collection pause or a busy scheduler must not end a live
	 * monitor's session and cost its instance its place in the fleet.
	 */
	public static final Duration MIN_IDLE_LIMIT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(ServerMonitor.class);

	private final ServerConnector connector;

	private final ServerSampler sampler;

	private final Duration interval;

	private final Duration queryTimeout;

	private final Duration idleLimit;

	private final PressureThresholds thresholds;

	private final IntSupplier appPoolWaiters;

	private volatile IntSupplier backgroundPoolWaiters = () -> 0;

	private final Consumer<? super ConnectionPressureEvent> listener;

	private final Clock clock;

	private final @Nullable String secret;

	private final AtomicReference<@Nullable Connection> connection = new AtomicReference<>();

	private final AtomicReference<@Nullable Connection> adopted = new AtomicReference<>();

	private final AtomicBoolean releaseLocks = new AtomicBoolean();

	private final List<Consumer<ServerSample>> sampleListeners = new CopyOnWriteArrayList<>();

	private final List<MonitorConnectionReader> connectionReaders = new CopyOnWriteArrayList<>();

	private volatile Supplier<@Nullable Integer> poolsMax = () -> null;

	private volatile ServerReading reading;

	private volatile Consumer<List<String>> instancesListener = (instances) -> {
	};

	private final PeriodicWork sampling = new PeriodicWork("poolguard-monitor");

	private volatile boolean closed;

	private boolean failing;

	private @Nullable List<String> lastInstances;

	private volatile @Nullable String offReason;

	/**
	 * Create a monitor. Nothing happens until {@link #start()}.
	 * @param connector opens the monitor's connection; its connection name should be
	 * {@code <application>:monitor:<instance>}
	 * @param applicationName the application part of this application's connection names: its
	 * connections are always listed by name in {@link ServerSample#byApplication()}
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
		this.clock = Clock.systemUTC();
		this.interval = interval;
		this.queryTimeout = queryTimeout;
		this.idleLimit = idleLimit(interval, queryTimeout);
		this.sampler = new ServerSampler(applicationName, queryTimeout, this.idleLimit, this.clock);
		this.thresholds = thresholds;
		this.appPoolWaiters = appPoolWaiters;
		this.listener = listener;
		this.secret = (secret != null && !secret.isEmpty()) ? secret : null;
		this.reading = new ServerReading(null, null, PressureLevel.NORMAL, 0, this.clock.instant());
	}

	/**
	 * Count the threads waiting for a background pool connection at every sample, so that
	 * waiters seen in consecutive samples show in the reading. Set before {@link #start()}.
	 * @param waiters how many threads wait for a background pool connection now
	 */
	public void watchBackgroundPool(IntSupplier waiters) {
		this.backgroundPoolWaiters = waiters;
	}

	/**
	 * Say at every sample, on the monitor's connection, how many connections this instance's
	 * pools may hold now, for the other instances of the application to read.
	 * @param poolsMax supplies the number, or {@code null} to say nothing
	 */
	public void publishPoolsMax(Supplier<@Nullable Integer> poolsMax) {
		this.poolsMax = poolsMax;
	}

	/**
	 * Receive every sample taken, on the monitor's thread, after the reading is updated.
	 * @param listener the listener; one that throws is logged and the others still run
	 */
	public void addSampleListener(Consumer<ServerSample> listener) {
		this.sampleListeners.add(listener);
	}

	/**
	 * Read something more on the monitor's connection after every successful sample, on the
	 * monitor's thread (such as replicas' lag).
	 * @param reader the reader; one that throws is logged and the others still run
	 */
	public void addConnectionReader(MonitorConnectionReader reader) {
		this.connectionReaders.add(reader);
	}

	/**
	 * Receive the ids of this application's instances seen on the server whenever they change,
	 * on the monitor's thread. Set before {@link #start()}.
	 * @param listener the listener
	 */
	public void onInstancesChanged(Consumer<List<String>> listener) {
		this.instancesListener = listener;
	}

	/**
	 * Start sampling on the monitor's own thread: a first sample at once, then one every
	 * interval. The caller (the context's refresh thread) never waits for the server. In an
	 * application context this happens when the context starts, after every listener is
	 * registered, so even a crossing seen by the first sample reaches {@code @EventListener}
	 * methods. Does nothing once the monitor is closed or turned off.
	 */
	@Override
	public void start() {
		synchronized (this) {
			if (this.closed || this.offReason != null) {
				return;
			}
			this.sampling.start(Duration.ZERO, this.interval, this::sample);
		}
	}

	/**
	 * Run the periodic work on the application's one scheduler instead of a thread of its own.
	 * Set before {@link #start()}.
	 * @param housekeeping the scheduler
	 */
	public void scheduleOn(Housekeeping housekeeping) {
		this.sampling.scheduleOn(housekeeping);
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
	public boolean isRunning() {
		return this.sampling.isRunning();
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
	 * Stop sampling and close the monitor's connection, for good: a closed monitor never
	 * samples or connects again.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.sampling.stop(this.queryTimeout.plusSeconds(1));
		// a sample still connecting closes what it opens when it sees the monitor closed
		closeConnection();
		Connection adopted = this.adopted.getAndSet(null);
		if (adopted != null) {
			closeQuietly(adopted);
		}
	}

	/**
	 * Take over an open connection that carries the monitor's connection name, such as the one a
	 * starting instance showed itself to the fleet with, so that the instance stays visible on
	 * the server without a gap. The next sample uses it instead of opening one; a monitor that is
	 * closed, or already given one, closes it.
	 * @param connection the connection
	 */
	public void adopt(Connection connection) {
		if (this.closed || !this.adopted.compareAndSet(null, connection)) {
			closeQuietly(connection);
		}
	}

	/**
	 * Return whether the monitor has been closed.
	 * @return {@code true} after {@link #close()}
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Return the latest reading. Never touches the server.
	 * @return the reading
	 */
	public ServerReading getReading() {
		return this.reading;
	}

	/**
	 * Return what opens the monitor's connection, for a connection that stands in for it.
	 * @return the connector
	 */
	public ServerConnector getConnector() {
		return this.connector;
	}

	/**
	 * Return the thresholds this monitor applies.
	 * @return the thresholds
	 */
	public PressureThresholds getThresholds() {
		return this.thresholds;
	}

	/**
	 * Return how long the monitor's session may stay idle before the server ends it and the
	 * other instances stop counting it: three intervals and the query timeout (the time after
	 * which this instance calls its own reading stale), at least {@link #MIN_IDLE_LIMIT}. A
	 * monitor that samples is idle for about one interval at a time.
	 * @return the idle limit
	 */
	public Duration getIdleLimit() {
		return this.idleLimit;
	}

	static Duration idleLimit(Duration interval, Duration queryTimeout) {
		Duration limit = interval.multipliedBy(3).plus(queryTimeout);
		return (limit.compareTo(MIN_IDLE_LIMIT) < 0) ? MIN_IDLE_LIMIT : limit;
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

	private static int waiters(IntSupplier waiters) {
		try {
			return waiters.getAsInt();
		}
		catch (RuntimeException ex) {
			// a pool that is not started yet has no waiters
			return 0;
		}
	}

	// Runs on the monitor's thread only, so the connection needs no lock; never throws.
	private void sample() {
		if (this.closed) {
			return;
		}
		ServerReading previous = this.reading;
		int waitingSamples = (waiters(this.appPoolWaiters) > 0) ? previous.appPoolWaitingSamples() + 1 : 0;
		int backgroundWaiters = waiters(this.backgroundPoolWaiters);
		int backgroundWaitingSamples = (backgroundWaiters > 0) ? previous.backgroundPoolWaitingSamples() + 1 : 0;
		ServerSample sample;
		try {
			sample = query();
		}
		catch (SampleFailure ex) {
			if (!ex.keepConnection) {
				closeConnection();
			}
			if (this.closed) {
				return;
			}
			this.reading = new ServerReading(previous.sample(), ex.getMessage(), previous.level(), waitingSamples,
					this.clock.instant(), ex.busy, backgroundWaiters, backgroundWaitingSamples);
			if (!this.failing) {
				this.failing = true;
				logger.warn("PoolGuard: server monitor: " + ex.getMessage() + (ex.busy
						? "; /actuator/health/connections reports WARNING until a sample succeeds again"
						: "; /actuator/health/connections reports DOWN until it reaches the server again"));
			}
			return;
		}
		catch (RuntimeException ex) {
			Connection connection = this.connection.get();
			if (connection != null && !isUsable(connection)) {
				closeConnection();
			}
			this.failing = true;
			this.reading = new ServerReading(previous.sample(), "sampling failed: " + mask(String.valueOf(ex)),
					previous.level(), waitingSamples, this.clock.instant(), false, backgroundWaiters,
					backgroundWaitingSamples);
			return;
		}
		PressureLevel level = this.thresholds.levelFor(sample.usage(), previous.level());
		this.reading = new ServerReading(sample, null, level, waitingSamples, this.clock.instant(), false,
				backgroundWaiters, backgroundWaitingSamples);
		if (this.failing) {
			this.failing = false;
			logger.info("PoolGuard: server monitor reached " + this.connector.describe() + " again");
		}
		if (level != previous.level()) {
			logCrossing(previous.level(), level, sample);
			notify(() -> this.listener.accept(new ConnectionPressureEvent(this, previous.level(), level,
					sample.inUse(), sample.usable(), sample.sampledAt())));
		}
		for (Consumer<ServerSample> sampleListener : this.sampleListeners) {
			notify(() -> sampleListener.accept(sample));
		}
		if (!sample.instances().equals(this.lastInstances)) {
			this.lastInstances = sample.instances();
			notify(() -> this.instancesListener.accept(sample.instances()));
		}
	}

	private static void notify(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("PoolGuard: a server monitor listener failed", ex);
		}
	}

	/**
	 * Release, at the next sample, the session advisory locks the monitor's connection holds,
	 * such as a starting instance's turn to run its startup work without a share.
	 */
	public void releaseAdvisoryLocks() {
		this.releaseLocks.set(true);
	}

	private ServerSample query() throws SampleFailure {
		Connection connection = connection();
		try {
			if (this.releaseLocks.getAndSet(false)) {
				try (Statement statement = connection.createStatement()) {
					statement.execute(this.sampler.note(this.poolsMax.get()) + "SELECT pg_advisory_unlock_all()");
				}
			}
			ServerSample sample = this.sampler.sample(connection, this.poolsMax.get());
			String note = this.sampler.note(this.poolsMax.get());
			for (MonitorConnectionReader reader : this.connectionReaders) {
				notify(() -> reader.read(connection, note));
			}
			return sample;
		}
		catch (SQLException ex) {
			// a canceled statement leaves the session as it was: a busy server is no reason to
			// give up this instance's place in the fleet
			if ("57014".equals(ex.getSQLState())) {
				throw new SampleFailure("the sampling query took longer than " + this.queryTimeout.toMillis()
						+ " ms (poolguard.monitor.query-timeout); the server may be overloaded", true, true);
			}
			if (isUsable(connection)) {
				throw new SampleFailure("the sampling query failed on the monitor connection to "
						+ this.connector.describe() + ": " + mask(ex.getMessage()) + state(ex), false, true);
			}
			throw new SampleFailure("lost the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex), false, false);
		}
	}

	// Asks the server, within the query timeout: a broken socket or an ended session says no.
	private boolean isUsable(Connection connection) {
		try {
			return connection.isValid((int) Math.max(1, (this.queryTimeout.toMillis() + 999) / 1000));
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private Connection connection() throws SampleFailure {
		Connection connection = this.connection.get();
		if (connection != null) {
			return connection;
		}
		try {
			connection = this.adopted.getAndSet(null);
			if (connection == null || connection.isClosed()) {
				connection = this.connector.connect();
			}
		}
		catch (SQLException ex) {
			if ("53300".equals(ex.getSQLState())) {
				throw new SampleFailure("the server refused the monitor connection: too many clients ("
						+ mask(ex.getMessage()) + ")", true, false);
			}
			throw new SampleFailure("cannot open the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex), false, false);
		}
		try {
			connection.setAutoCommit(true);
			connection.setNetworkTimeout(Runnable::run, (int) this.queryTimeout.plusSeconds(2).toMillis());
			try (Statement statement = connection.createStatement()) {
				statement.execute(sessionSettings(connection.getMetaData().getDatabaseMajorVersion()));
			}
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw new SampleFailure("cannot prepare the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex), false, false);
		}
		this.connection.set(connection);
		if (this.closed) {
			closeConnection();
			throw new SampleFailure("the monitor is closed", false, false);
		}
		return connection;
	}

	// The server ends the session of a monitor that stopped sampling, so that a frozen or
	// unreachable instance leaves the fleet's order within the idle limit rather than when the
	// operating system's keepalive gives up (about two hours by default). idle_session_timeout
	// ends an idle session whatever the network does; the keepalives and tcp_user_timeout end
	// one the server cannot reach, before PostgreSQL 14 too. Over a Unix socket they do nothing.
	String sessionSettings(int serverMajorVersion) {
		long limitMillis = this.idleLimit.toMillis();
		long limitSeconds = Math.max(1, (limitMillis + 999) / 1000);
		long probeSeconds = Math.max(1, (this.interval.toMillis() + 999) / 1000);
		StringBuilder settings = new StringBuilder();
		settings.append("SET statement_timeout = ").append(this.queryTimeout.toMillis());
		if (serverMajorVersion >= 14) {
			settings.append("; SET idle_session_timeout = ").append(limitMillis);
		}
		settings.append("; SET tcp_keepalives_idle = ").append(limitSeconds);
		settings.append("; SET tcp_keepalives_interval = ").append(probeSeconds);
		settings.append("; SET tcp_keepalives_count = 3");
		if (serverMajorVersion >= 12) {
			settings.append("; SET tcp_user_timeout = ").append(limitMillis);
		}
		return settings.toString();
	}

	private void logCrossing(PressureLevel from, PressureLevel to, ServerSample sample) {
		String usage = sample.inUse() + " of " + sample.usable() + " usable server connections in use ("
				+ Formats.percent(sample.usage()) + ", max_connections " + sample.maxConnections() + "); by application: "
				+ sample.byApplication();
		if (to == PressureLevel.CRITICAL) {
			logger.error("PoolGuard: connection pressure CRITICAL: " + usage + ", at or above the critical threshold "
					+ Formats.percent(this.thresholds.critical()) + " (poolguard.health.critical-threshold). New connections"
					+ " will soon be refused with \"too many clients\".");
		}
		else if (to.compareTo(from) > 0) {
			logger.warn("PoolGuard: connection pressure WARNING: " + usage + ", at or above the warning threshold "
					+ Formats.percent(this.thresholds.warning()) + " (poolguard.health.warning-threshold).");
		}
		else {
			logger.info("PoolGuard: connection pressure down from " + from + " to " + to + ": " + usage + ".");
		}
	}

	private String mask(@Nullable String message) {
		String masked = this.connector.mask(message);
		return (this.secret != null) ? masked.replace(this.secret, "******") : masked;
	}

	private static String state(SQLException ex) {
		return (ex.getSQLState() != null) ? " (SQLState " + ex.getSQLState() + ")" : "";
	}

	private void closeConnection() {
		Connection connection = this.connection.getAndSet(null);
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

		private final boolean busy;

		private final boolean keepConnection;

		SampleFailure(String message, boolean busy, boolean keepConnection) {
			super(message, null, false, false);
			this.busy = busy;
			this.keepConnection = keepConnection;
		}

	}

}
