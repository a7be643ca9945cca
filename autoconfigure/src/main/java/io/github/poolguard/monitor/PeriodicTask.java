package io.github.poolguard.monitor;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task every interval on a daemon thread of its own, for the samplers that watch the
 * server and PgBouncer.
 */
public final class PeriodicTask {

	private final ScheduledExecutorService scheduler;

	private PeriodicTask(ScheduledExecutorService scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * Run the task every interval, the first time one interval from now.
	 * @param threadName the name of the thread that runs it
	 * @param interval the delay between the end of one run and the start of the next
	 * @param task the task
	 * @return the running schedule
	 */
	public static PeriodicTask every(String threadName, Duration interval, Runnable task) {
		return every(threadName, interval, interval, task);
	}

	/**
	 * Run the task every interval, the first time after the given delay.
	 * @param threadName the name of the thread that runs it
	 * @param initialDelay the delay before the first run, {@link Duration#ZERO} for at once
	 * @param interval the delay between the end of one run and the start of the next
	 * @param task the task
	 * @return the running schedule
	 */
	public static PeriodicTask every(String threadName, Duration initialDelay, Duration interval, Runnable task) {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, threadName);
			thread.setDaemon(true);
			return thread;
		});
		long millis = interval.toMillis();
		scheduler.scheduleWithFixedDelay(task, initialDelay.toMillis(), millis, TimeUnit.MILLISECONDS);
		return new PeriodicTask(scheduler);
	}

	/**
	 * Stop the schedule, interrupting a run in progress, and wait for it to end.
	 * @param wait how long to wait for a run in progress
	 * @return {@code true} when no run is in progress any more
	 */
	public boolean stop(Duration wait) {
		this.scheduler.shutdownNow();
		try {
			return this.scheduler.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
