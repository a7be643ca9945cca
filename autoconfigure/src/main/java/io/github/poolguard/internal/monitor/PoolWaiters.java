package io.github.poolguard.internal.monitor;

import java.util.function.IntSupplier;

/**
 * Counts, for the {@link ServerMonitor}'s reading, the threads waiting for an app pool and a
 * background pool connection now. A pool that is not started yet has no waiters.
 */
final class PoolWaiters {

	private final IntSupplier appPoolWaiters;

	private volatile IntSupplier backgroundPoolWaiters = () -> 0;

	PoolWaiters(IntSupplier appPoolWaiters) {
		this.appPoolWaiters = appPoolWaiters;
	}

	void watchBackgroundPool(IntSupplier waiters) {
		this.backgroundPoolWaiters = waiters;
	}

	int app() {
		return waiters(this.appPoolWaiters);
	}

	int background() {
		return waiters(this.backgroundPoolWaiters);
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

}
