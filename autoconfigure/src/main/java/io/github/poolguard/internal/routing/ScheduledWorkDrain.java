package io.github.poolguard.internal.routing;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Drains scheduled work when the application stops: from then on no scheduled run starts, and
 * the stop waits (at most the grace period) for the runs in flight, in a lifecycle phase before
 * the background pool closes, so their queries finish instead of breaking on a closed pool.
 * Schedulers alone do not give this: the virtual-thread scheduler hands runs to threads it does
 * not wait for, and a thread-pool scheduler's wait is not ordered against PoolGuard's pools.
 */
public final class ScheduledWorkDrain implements SmartLifecycle {

	/**
	 * The phase of the drain: the first to stop, before the background pool closes.
	 */
	public static final int PHASE = Integer.MAX_VALUE;

	private static final Log logger = LogFactory.getLog(ScheduledWorkDrain.class);

	// a lock, not a monitor: virtual threads enter and leave here (never held across I/O)
	private final ReentrantLock lock = new ReentrantLock();

	private final Condition idle = this.lock.newCondition();

	private final Duration gracePeriod;

	private int inFlight;

	private boolean draining;

	private volatile boolean running;

	/**
	 * Create a drain.
	 * @param gracePeriod how long a stop waits for the runs in flight
	 */
	public ScheduledWorkDrain(Duration gracePeriod) {
		this.gracePeriod = gracePeriod;
	}

	/**
	 * Let a scheduled run start, unless the application is stopping.
	 * @return {@code true} when the run may start; it must then call {@link #leave()}
	 */
	boolean enter() {
		this.lock.lock();
		try {
			if (this.draining) {
				return false;
			}
			this.inFlight++;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Record that a run that {@linkplain #enter() entered} has finished.
	 */
	void leave() {
		this.lock.lock();
		try {
			if (--this.inFlight == 0) {
				this.idle.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void start() {
		this.lock.lock();
		try {
			this.draining = false;
		}
		finally {
			this.lock.unlock();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.lock.lock();
		try {
			this.draining = true;
			long remaining = this.gracePeriod.toNanos();
			while (this.inFlight > 0 && remaining > 0) {
				remaining = this.idle.awaitNanos(remaining);
			}
			if (this.inFlight > 0) {
				logger.warn("PoolGuard: " + this.inFlight + " scheduled run(s) still running after the shutdown grace"
						+ " period of " + this.gracePeriod.toMillis() + " ms (poolguard.batch.shutdown-grace-period);"
						+ " the pools close under them");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.lock.unlock();
			this.running = false;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Return how many scheduled runs are in flight.
	 * @return the count
	 */
	public int getInFlight() {
		this.lock.lock();
		try {
			return this.inFlight;
		}
		finally {
			this.lock.unlock();
		}
	}

}
