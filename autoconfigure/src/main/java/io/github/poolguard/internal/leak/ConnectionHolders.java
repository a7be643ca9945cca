package io.github.poolguard.internal.leak;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.routing.ConnectionDecorator;
import io.github.poolguard.internal.routing.ScheduledWork;
import io.github.poolguard.routing.Workload;

import org.springframework.context.SmartLifecycle;

/**
 * Tracks who holds each borrowed connection: the pool, the borrowing thread and its workload,
 * whether it was running scheduled work, the borrow time and, only when asked to, the
 * borrowing stack. A connection held longer than its workload's threshold is reported once, in
 * one WARN line with its holder, and counted as a leak: background work may hold a connection far
 * longer than a request without having leaked it. A connection counts as held from the moment its
 * borrower asked for it. A sample of app borrows (one in {@link #APP_TIMING_SAMPLE}) adds its
 * exact wait and hold time to {@link AppBorrowTimes} when returned. Tracking costs one small
 * object per borrow and touches no memory shared with other threads' borrows
 * ({@link HeldConnections}); the borrow time of every other borrow is a coarse clock, ticked on
 * the scheduler every {@link #CLOCK_TICK} while tracking runs (trade-offs in
 * {@link HeldConnections}). The clock ({@link CoarseClock}), the timing of sampled borrows
 * ({@link BorrowTiming}), the answers about what is held ({@link HolderReports}) and the leak
 * check ({@link LeakCheck}) are types of their own; this one tracks borrows and runs them.
 */
public class ConnectionHolders implements AutoCloseable, SmartLifecycle {

	/**
	 * One app return in this many (a power of two) adds its time to {@link AppBorrowTimes}.
	 */
	public static final int APP_TIMING_SAMPLE = 8;

	/**
	 * How often the coarse clock that times unsampled borrows ticks while tracking runs.
	 */
	public static final Duration CLOCK_TICK = Duration.ofMillis(10);

	private final HeldConnections held = new HeldConnections();

	private final CoarseClock clock = new CoarseClock();

	private final BorrowTiming timing = new BorrowTiming(this.clock);

	private final HolderReports reports = new HolderReports(this.held);

	private final LeakCheck leakCheck = new LeakCheck(this.held);

	private final Duration threshold;

	private final Duration backgroundThreshold;

	private final boolean captureStack;

	/**
	 * Create a tracker.
	 * @param threshold how long a connection may be held before it is reported
	 * @param captureStack whether to record the borrowing stack of every connection
	 */
	public ConnectionHolders(Duration threshold, boolean captureStack) {
		this(threshold, threshold, captureStack);
	}

	/**
	 * Create a tracker with a threshold of its own for background work.
	 * @param threshold how long an app connection may be held before it is reported
	 * @param backgroundThreshold how long a background connection may be held before it is
	 * reported
	 * @param captureStack whether to record the borrowing stack of every connection
	 */
	public ConnectionHolders(Duration threshold, Duration backgroundThreshold, boolean captureStack) {
		this.threshold = threshold;
		this.backgroundThreshold = backgroundThreshold;
		this.captureStack = captureStack;
	}

	/**
	 * Return a decorator for a routing data source that tracks every connection it hands out.
	 * @param poolNames the name of the pool that serves each workload, asked per borrow
	 * @return the decorator
	 */
	public ConnectionDecorator decorator(Function<Workload, String> poolNames) {
		return new ConnectionDecorator() {

			@Override
			public long requestTime(Workload workload) {
				return ConnectionHolders.this.requestTime(workload);
			}

			@Override
			public Connection decorate(Workload workload, Connection connection, long requestTime) {
				return track(workload, poolNames.apply(workload), connection, requestTime);
			}

		};
	}

	/**
	 * Start tracking a connection borrowed by the calling thread for its current workload.
	 * @param pool the name of the pool it came from
	 * @param connection the borrowed connection
	 * @return the connection to hand out; closing it ends the tracking
	 */
	public Connection track(String pool, Connection connection) {
		return track(Workload.current(), pool, connection);
	}

	/**
	 * Start tracking a borrowed connection, as borrowed now.
	 * @param workload the workload it was borrowed for, which decides its threshold
	 * @param pool the name of the pool it came from
	 * @param connection the borrowed connection
	 * @return the connection to hand out; closing it ends the tracking
	 */
	public Connection track(Workload workload, String pool, Connection connection) {
		return track(workload, pool, connection, requestTime(workload));
	}

	/**
	 * Return the time to record for a borrow of the given workload that starts now, to be
	 * passed to {@link #track(Workload, String, Connection, long)} once the pool has handed out
	 * the connection. One app borrow in {@link #APP_TIMING_SAMPLE}, picked at random, reads the
	 * precise clock (a {@code System.nanoTime()} costs about a sixth of a plain HikariCP borrow
	 * and return) and is timed exactly when returned; every other borrow gets the coarse clock,
	 * no later than now and at most one {@link #CLOCK_TICK} earlier while the scheduler keeps it
	 * ticking. While tracking is not running the precise clock is read for every borrow.
	 * @param workload the workload of the borrow
	 * @return a {@link System#nanoTime()} reading: odd when the borrow is to be timed, even
	 * otherwise
	 */
	public long requestTime(Workload workload) {
		return this.timing.requestTime(workload);
	}

	/**
	 * Start tracking a borrowed connection whose borrower asked for it at the given time. The
	 * connection counts as held from then on: what the borrower feels is the wait and the hold
	 * together.
	 * @param workload the workload it was borrowed for, which decides its threshold
	 * @param pool the name of the pool it came from
	 * @param connection the borrowed connection
	 * @param requestTime what {@link #requestTime(Workload)} returned when the borrower asked for
	 * it: a {@link System#nanoTime()} reading, odd for an app borrow to be timed in
	 * {@link AppBorrowTimes}
	 * @return the connection to hand out; closing it ends the tracking
	 */
	public Connection track(Workload workload, String pool, Connection connection, long requestTime) {
		Throwable stack = this.captureStack ? new Throwable("Connection borrowed here") : null;
		boolean background = workload == Workload.BACKGROUND;
		TrackedConnection tracked = new TrackedConnection(connection, this, pool, Thread.currentThread().getName(),
				requestTime, workload, ScheduledWork.isRunning(),
				background ? this.backgroundThreshold : this.threshold, stack);
		tracked.slot = this.held.add(tracked);
		return tracked;
	}

	void release(TrackedConnection connection) {
		this.held.remove(connection, connection.slot);
		this.timing.returned(connection);
	}

	/**
	 * Return how long app threads waited for and held their connections so far.
	 * @return the sums, which grow as app connections are returned
	 */
	public AppBorrowTimes getAppBorrowTimes() {
		return this.timing.appBorrowTimes();
	}

	/**
	 * Return the current holders, longest held first.
	 * @return the holders
	 */
	public List<ConnectionHolder> getHolders() {
		return this.reports.holders();
	}

	/**
	 * Return how many connections are held right now by threads of the given workload that
	 * are, or are not, running scheduled work.
	 * @param workload the workload of the borrowing threads
	 * @param scheduled whether to count scheduled work or other work
	 * @return the number of connections held
	 */
	public int countHeld(Workload workload, boolean scheduled) {
		return this.reports.countHeld(workload, scheduled);
	}

	/**
	 * Return how long the longest-held connection has been held.
	 * @return the longest hold, zero when none is held
	 */
	public Duration getLongestHeld() {
		return this.reports.longestHeld();
	}

	/**
	 * Return how many connections have been reported as held past the threshold.
	 * @return the leak count
	 */
	public long getLeakCount() {
		return this.leakCheck.leakCount();
	}

	/**
	 * Return the threshold past which an app connection is reported.
	 * @return the threshold
	 */
	public Duration getThreshold() {
		return this.threshold;
	}

	/**
	 * Return the threshold past which a background connection is reported.
	 * @return the threshold
	 */
	public Duration getBackgroundThreshold() {
		return this.backgroundThreshold;
	}

	/**
	 * Check the held connections now: report each one held past the threshold for the first
	 * time, and forget those closed by a path that bypassed tracking.
	 */
	public void check() {
		this.leakCheck.check();
	}

	/**
	 * Check for leaks on the scheduler, several times per threshold; in an application context
	 * this happens when the context starts.
	 */
	@Override
	public synchronized void start() {
		this.leakCheck.start(this.threshold, this.backgroundThreshold);
		this.clock.start();
	}

	/**
	 * Run the periodic work on the application's one scheduler instead of a thread of its own.
	 * Set before {@link #start()}.
	 * @param housekeeping the scheduler
	 */
	public void scheduleOn(Housekeeping housekeeping) {
		this.leakCheck.scheduleOn(housekeeping);
		this.clock.scheduleOn(housekeeping);
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.leakCheck.isRunning();
	}

	/**
	 * Return whether the coarse clock ticks, so that unsampled borrows do not read the precise
	 * clock.
	 * @return {@code true} between start and stop
	 */
	boolean isClockTicking() {
		return this.clock.isTicking();
	}

	/**
	 * Start with the server monitor, before the application's own lifecycle beans, and stop after
	 * them, so that holders are checked while the application drains.
	 * @return a low phase
	 */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE / 2;
	}

	/**
	 * Stop checking.
	 */
	@Override
	public synchronized void close() {
		this.leakCheck.stop();
		this.clock.stop();
	}

}
