package io.github.poolguard.internal.leak;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.housekeeping.PeriodicWork;
import io.github.poolguard.internal.routing.ConnectionDecorator;
import io.github.poolguard.internal.routing.ScheduledWork;
import io.github.poolguard.routing.Workload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

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
 * {@link HeldConnections}).
 */
public class ConnectionHolders implements AutoCloseable, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ConnectionHolders.class);

	private static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(50);

	/**
	 * One app return in this many (a power of two) adds its time to {@link AppBorrowTimes}.
	 */
	public static final int APP_TIMING_SAMPLE = 8;

	private static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(5);

	/**
	 * How often the coarse clock that times unsampled borrows ticks while tracking runs.
	 */
	public static final Duration CLOCK_TICK = Duration.ofMillis(10);

	// the coarse clock's value while it is not ticking: borrows read the precise clock then
	private static final long CLOCK_STOPPED = Long.MIN_VALUE;

	private final HeldConnections held = new HeldConnections();

	private final AppBorrowTimes appBorrowTimes = new AppBorrowTimes();

	private final Duration threshold;

	private final Duration backgroundThreshold;

	private final boolean captureStack;

	private final LongAdder leaks = new LongAdder();

	private final PeriodicWork checking = new PeriodicWork("poolguard-leak-check");

	private final PeriodicWork ticking = new PeriodicWork("poolguard-leak-clock");

	// System.nanoTime() at the last tick with its lowest bit cleared, or CLOCK_STOPPED; an odd
	// request time is a precise reading taken for a sampled app borrow (see requestTime). In an
	// object of its own: written every tick, it should not share a line with the fields every
	// borrow reads.
	private final AtomicLong coarseNanos = new AtomicLong(CLOCK_STOPPED);

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
		if (workload == Workload.APP && ThreadLocalRandom.current().nextInt(APP_TIMING_SAMPLE) == 0) {
			return System.nanoTime() | 1;
		}
		long coarse = this.coarseNanos.get();
		return (coarse != CLOCK_STOPPED) ? coarse : System.nanoTime() & ~1L;
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
		// only the sampled app borrows read the clock again: their borrow time is a precise
		// reading, tagged odd by requestTime, so AppBorrowTimes gets their exact wait and hold
		if (connection.workload == Workload.APP && (connection.borrowedNanos & 1) != 0) {
			this.appBorrowTimes.record(connection.slot, Math.max(0, System.nanoTime() - connection.borrowedNanos));
		}
	}

	void tick() {
		// a tick late enough to run after close() must not restart a stopped clock
		long last = this.coarseNanos.get();
		if (last != CLOCK_STOPPED) {
			this.coarseNanos.compareAndSet(last, System.nanoTime() & ~1L);
		}
	}

	/**
	 * Return how long app threads waited for and held their connections so far.
	 * @return the sums, which grow as app connections are returned
	 */
	public AppBorrowTimes getAppBorrowTimes() {
		return this.appBorrowTimes;
	}

	/**
	 * Return the current holders, longest held first.
	 * @return the holders
	 */
	public List<ConnectionHolder> getHolders() {
		long now = System.nanoTime();
		Instant wallNow = Instant.now();
		List<TrackedConnection> held = new ArrayList<>();
		this.held.forEach(held::add);
		return held.stream()
			.sorted(Comparator.comparingLong((TrackedConnection tracked) -> tracked.borrowedNanos))
			.map((tracked) -> toHolder(tracked, now, wallNow))
			.toList();
	}

	/**
	 * Return how many connections are held right now by threads of the given workload that
	 * are, or are not, running scheduled work.
	 * @param workload the workload of the borrowing threads
	 * @param scheduled whether to count scheduled work or other work
	 * @return the number of connections held
	 */
	public int countHeld(Workload workload, boolean scheduled) {
		int[] count = { 0 };
		this.held.forEach((tracked) -> {
			if (tracked.workload == workload && tracked.scheduled == scheduled) {
				count[0]++;
			}
		});
		return count[0];
	}

	/**
	 * Return how long the longest-held connection has been held.
	 * @return the longest hold, zero when none is held
	 */
	public Duration getLongestHeld() {
		long now = System.nanoTime();
		long[] longest = { 0 };
		this.held.forEach((tracked) -> longest[0] = Math.max(longest[0], now - tracked.borrowedNanos));
		return Duration.ofNanos(longest[0]);
	}

	/**
	 * Return how many connections have been reported as held past the threshold.
	 * @return the leak count
	 */
	public long getLeakCount() {
		return this.leaks.sum();
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
		long now = System.nanoTime();
		this.held.removeIf(ConnectionHolders::isClosed);
		this.held.forEach((tracked) -> {
			if (!tracked.reported && now - tracked.borrowedNanos > tracked.threshold.toNanos()) {
				tracked.reported = true;
				this.leaks.increment();
				report(toHolder(tracked, now, Instant.now()), tracked.threshold, tracked.stack);
			}
		});
	}

	/**
	 * Check for leaks on the scheduler, several times per threshold; in an application context
	 * this happens when the context starts.
	 */
	@Override
	public synchronized void start() {
		long period = Math.min(MAX_CHECK_INTERVAL.toMillis(),
				Math.max(MIN_CHECK_INTERVAL.toMillis(),
						Math.min(this.threshold.toMillis(), this.backgroundThreshold.toMillis()) / 4));
		this.checking.start(Duration.ofMillis(period), Duration.ofMillis(period), this::checkSafely);
		// set before any borrow can read it, then ticked on the scheduler
		this.coarseNanos.set(System.nanoTime() & ~1L);
		this.ticking.start(CLOCK_TICK, CLOCK_TICK, this::tick);
	}

	/**
	 * Run the periodic work on the application's one scheduler instead of a thread of its own.
	 * Set before {@link #start()}.
	 * @param housekeeping the scheduler
	 */
	public void scheduleOn(Housekeeping housekeeping) {
		this.checking.scheduleOn(housekeeping);
		this.ticking.scheduleOn(housekeeping);
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.checking.isRunning();
	}

	/**
	 * Return whether the coarse clock ticks, so that unsampled borrows do not read the precise
	 * clock.
	 * @return {@code true} between start and stop
	 */
	boolean isClockTicking() {
		return this.coarseNanos.get() != CLOCK_STOPPED;
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
		this.checking.stop(Duration.ZERO);
		// from now on borrows read the precise clock, not a clock that no longer moves
		this.ticking.stop(Duration.ofSeconds(1));
		this.coarseNanos.set(CLOCK_STOPPED);
	}

	private void checkSafely() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			logger.debug("PoolGuard: leak check failed", ex);
		}
	}

	private void report(ConnectionHolder holder, Duration threshold, @Nullable Throwable stack) {
		String message = "PoolGuard: a connection from pool '" + holder.pool() + "' has been held for "
				+ holder.heldFor().toMillis() + " ms by thread '" + holder.thread() + "'"
				+ (holder.scheduled() ? " running scheduled work" : "") + " (borrowed at "
				+ holder.borrowedAt() + "), longer than its leak threshold (" + threshold.toMillis()
				+ " ms: poolguard.leak.threshold, or poolguard.leak.background-threshold for background work); it"
				+ " may have leaked. Close every connection in a finally block or try-with-resources,"
				+ " and run long work as Workload.BACKGROUND."
				+ ((stack != null) ? " Borrowing stack follows."
						: " Set poolguard.leak.capture-stack=true to log where it was borrowed.");
		if (stack != null) {
			logger.warn(message, stack);
		}
		else {
			logger.warn(message);
		}
	}

	private static boolean isClosed(TrackedConnection tracked) {
		try {
			return tracked.getDelegate().isClosed();
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static ConnectionHolder toHolder(TrackedConnection tracked, long now, Instant wallNow) {
		Duration heldFor = Duration.ofNanos(now - tracked.borrowedNanos);
		List<String> stack = null;
		if (tracked.stack != null) {
			stack = Arrays.stream(tracked.stack.getStackTrace()).map(StackTraceElement::toString).toList();
		}
		return new ConnectionHolder(tracked.pool, tracked.thread, wallNow.minus(heldFor), heldFor, stack,
				tracked.workload, tracked.scheduled);
	}

}
