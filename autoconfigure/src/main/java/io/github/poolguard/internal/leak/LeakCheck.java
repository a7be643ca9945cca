package io.github.poolguard.internal.leak;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.housekeeping.PeriodicWork;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Checks the {@link HeldConnections} on the scheduler, several times per threshold: reports each
 * connection held past its threshold once, in one WARN line with its holder, counts it as a leak,
 * and forgets those closed by a path that bypassed tracking.
 */
final class LeakCheck {

	// the tracker's own category, where operators look for its lines
	private static final Log logger = LogFactory.getLog(ConnectionHolders.class);

	private static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(50);

	private static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(5);

	private final HeldConnections held;

	private final LongAdder leaks = new LongAdder();

	private final PeriodicWork checking = new PeriodicWork("poolguard-leak-check");

	LeakCheck(HeldConnections held) {
		this.held = held;
	}

	long leakCount() {
		return this.leaks.sum();
	}

	void check() {
		long now = System.nanoTime();
		this.held.removeIf(LeakCheck::isClosed);
		this.held.forEach((tracked) -> {
			if (!tracked.reported && now - tracked.borrowedNanos > tracked.threshold.toNanos()) {
				tracked.reported = true;
				this.leaks.increment();
				report(HolderReports.toHolder(tracked, now, Instant.now()), tracked.threshold, tracked.stack);
			}
		});
	}

	void start(Duration threshold, Duration backgroundThreshold) {
		long period = Math.min(MAX_CHECK_INTERVAL.toMillis(), Math.max(MIN_CHECK_INTERVAL.toMillis(),
				Math.min(threshold.toMillis(), backgroundThreshold.toMillis()) / 4));
		this.checking.start(Duration.ofMillis(period), Duration.ofMillis(period), this::checkSafely);
	}

	void scheduleOn(Housekeeping housekeeping) {
		this.checking.scheduleOn(housekeeping);
	}

	boolean isRunning() {
		return this.checking.isRunning();
	}

	void stop() {
		this.checking.stop(Duration.ZERO);
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

}
