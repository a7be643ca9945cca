package io.github.poolguard.internal.housekeeping;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One component's periodic task: on the application's shared {@link Housekeeping} once it is
 * given one, otherwise on a thread of its own (a component used alone, as in a unit test), which
 * it closes when the task stops. Can be started again after it stopped.
 */
public final class PeriodicWork {

	private final String ownThreadName;

	private @Nullable Housekeeping shared;

	private @Nullable Housekeeping own;

	private Housekeeping.@Nullable Schedule schedule;

	/**
	 * Create the work of one component.
	 * @param ownThreadName the name of its own thread, used only without a shared scheduler
	 */
	public PeriodicWork(String ownThreadName) {
		this.ownThreadName = ownThreadName;
	}

	/**
	 * Run on the application's one scheduler from the next start on.
	 * @param housekeeping the scheduler
	 */
	public synchronized void scheduleOn(Housekeeping housekeeping) {
		this.shared = housekeeping;
	}

	/**
	 * Start the task unless it runs already.
	 * @param initialDelay the delay before the first run
	 * @param interval the delay between the end of one run and the start of the next
	 * @param task the task
	 * @return {@code true} when it was started now
	 */
	public synchronized boolean start(Duration initialDelay, Duration interval, Runnable task) {
		if (this.schedule != null) {
			return false;
		}
		Housekeeping housekeeping = this.shared;
		if (housekeeping == null) {
			this.own = new Housekeeping(this.ownThreadName, 1);
			housekeeping = this.own;
		}
		this.schedule = housekeeping.every(initialDelay, interval, task);
		return true;
	}

	/**
	 * Stop the task, interrupting a run in progress, and wait for that run to end.
	 * @param wait how long to wait for a run in progress
	 */
	public void stop(Duration wait) {
		Housekeeping.Schedule schedule;
		Housekeeping own;
		synchronized (this) {
			schedule = this.schedule;
			own = this.own;
			this.schedule = null;
			this.own = null;
		}
		if (schedule != null) {
			schedule.cancel(wait);
		}
		if (own != null) {
			own.close();
		}
	}

	/**
	 * Return whether the task is scheduled.
	 * @return {@code true} between start and stop
	 */
	public synchronized boolean isRunning() {
		return this.schedule != null;
	}

}
