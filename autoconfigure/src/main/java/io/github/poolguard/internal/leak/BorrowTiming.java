package io.github.poolguard.internal.leak;

import java.util.concurrent.ThreadLocalRandom;

import io.github.poolguard.routing.Workload;

/**
 * Times borrows: one app borrow in {@link ConnectionHolders#APP_TIMING_SAMPLE}, picked at random,
 * reads the precise clock when asked for and again when returned, and adds its exact wait and
 * hold to {@link AppBorrowTimes}; every other borrow gets the {@link CoarseClock}.
 */
final class BorrowTiming {

	private final CoarseClock clock;

	private final AppBorrowTimes appBorrowTimes = new AppBorrowTimes();

	BorrowTiming(CoarseClock clock) {
		this.clock = clock;
	}

	long requestTime(Workload workload) {
		if (workload == Workload.APP
				&& ThreadLocalRandom.current().nextInt(ConnectionHolders.APP_TIMING_SAMPLE) == 0) {
			return System.nanoTime() | 1;
		}
		return this.clock.read();
	}

	void returned(TrackedConnection connection) {
		// only the sampled app borrows read the clock again: their borrow time is a precise
		// reading, tagged odd by requestTime, so AppBorrowTimes gets their exact wait and hold
		if (connection.workload == Workload.APP && (connection.borrowedNanos & 1) != 0) {
			this.appBorrowTimes.record(connection.slot, Math.max(0, System.nanoTime() - connection.borrowedNanos));
		}
	}

	AppBorrowTimes appBorrowTimes() {
		return this.appBorrowTimes;
	}

}
