package io.github.poolguard.internal.monitor;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.IntSupplier;

import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.housekeeping.PeriodicWork;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.monitor.ConnectionPressureEvent;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Samples the server's connections on one dedicated connection of its own
 * ({@code <application>:monitor:<instance>}, never from a pool), on a daemon thread, every
 * interval, and caches the latest {@link ServerReading}: readers never touch the server. A failed
 * sample on a connection that still works (a statement timeout on a busy server) keeps it: its
 * {@code backend_start} is this instance's place in the fleet; a broken one is reopened, and
 * while the server cannot be reached the reading carries the reason. Crossing a
 * {@link PressureThresholds threshold} publishes a {@link ConnectionPressureEvent} and logs one
 * line. The server ends a monitor that stops sampling after its {@link #getIdleLimit() idle limit}.
 * Only the monitor's own thread samples, connects and calls listeners, holding no lock: {@link #close()}
 * never waits behind a reconnect. A closed monitor stays closed.
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

	private final ServerConnector connector;

	private final MonitorTiming timing;

	private final MonitorConnection connection;

	private final PoolWaiters waiters;

	private final MonitorListeners listeners = new MonitorListeners();

	private final FleetPresence fleet = new FleetPresence();

	private final PressureThresholds thresholds;

	private final MonitorSampling sampling;

	private final PeriodicWork schedule = new PeriodicWork("poolguard-monitor");

	private volatile boolean closed;

	private volatile @Nullable String offReason;

	/**
	 * Create a monitor. Nothing happens until {@link #start()}.
	 * @param connector opens the monitor's connection, named {@code <application>:monitor:<instance>}
	 * @param applicationName this application's name part, always listed in {@link ServerSample#byApplication()}
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
		Clock clock = Clock.systemUTC();
		this.timing = MonitorTiming.of(interval, queryTimeout);
		this.connection = new MonitorConnection(connector,
				new ServerSampler(applicationName, queryTimeout, this.timing.idleLimit(), clock), this.timing, secret);
		this.waiters = new PoolWaiters(appPoolWaiters);
		this.thresholds = thresholds;
		this.sampling = new MonitorSampling(this, clock, this.connection, this.waiters,
				new PressureLevels(thresholds, listener), this.listeners, this.fleet, this::isClosed);
	}

	/**
	 * Count the threads waiting for a background pool connection at every sample, so that
	 * waiters seen in consecutive samples show in the reading. Set before {@link #start()}.
	 * @param waiters how many threads wait for a background pool connection now
	 */
	public void watchBackgroundPool(IntSupplier waiters) {
		this.waiters.watchBackgroundPool(waiters);
	}

	/**
	 * Say at every sample, on the monitor's connection, how many connections this instance's pools may hold now.
	 * @param poolsMax supplies the number, or {@code null} to say nothing
	 */
	public void publishPoolsMax(Supplier<@Nullable Integer> poolsMax) {
		this.fleet.publishPoolsMax(poolsMax);
	}

	/**
	 * Receive every sample taken, on the monitor's thread, after the reading is updated.
	 * @param listener the listener; one that throws is logged and the others still run
	 */
	public void addSampleListener(Consumer<ServerSample> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Read more on the monitor's connection after each successful sample (replicas' lag).
	 * @param reader the reader; one that throws is logged
	 */
	public void addConnectionReader(MonitorConnectionReader reader) {
		this.connection.addReader(reader);
	}

	/**
	 * Receive the ids of this application's instances seen on the server whenever they change,
	 * on the monitor's thread. Set before {@link #start()}.
	 * @param listener the listener
	 */
	public void onInstancesChanged(Consumer<List<String>> listener) {
		this.fleet.onInstancesChanged(listener);
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
			this.schedule.start(Duration.ZERO, this.timing.interval(), this.sampling::sample);
		}
	}

	/**
	 * Run the periodic work on the application's one scheduler instead of a thread of its own.
	 * Set before {@link #start()}.
	 * @param housekeeping the scheduler
	 */
	public void scheduleOn(Housekeeping housekeeping) {
		this.schedule.scheduleOn(housekeeping);
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
		return this.timing.isStale(reading, now);
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.schedule.isRunning();
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
		this.schedule.stop(this.timing.queryTimeout().plusSeconds(1));
		// a sample still connecting closes what it opens when it sees the monitor closed
		this.connection.close();
	}

	/**
	 * Take over an open connection that carries the monitor's connection name, such as the one a
	 * starting instance showed itself to the fleet with, so that the instance stays visible on
	 * the server without a gap. The next sample uses it instead of opening one; a monitor that is
	 * closed, or already given one, closes it.
	 * @param connection the connection
	 */
	public void adopt(Connection connection) {
		this.connection.adopt(connection, this.closed);
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
		return this.sampling.reading();
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
		return this.timing.idleLimit();
	}

	/**
	 * Return the time between samples.
	 * @return the interval
	 */
	public Duration getInterval() {
		return this.timing.interval();
	}

	/**
	 * Return the longest a sampling attempt may take.
	 * @return the query timeout
	 */
	public Duration getQueryTimeout() {
		return this.timing.queryTimeout();
	}

	/**
	 * Release, at the next sample, the session advisory locks the monitor's connection holds,
	 * such as a starting instance's turn to run its startup work without a share.
	 */
	public void releaseAdvisoryLocks() {
		this.fleet.releaseAdvisoryLocks();
	}

}
