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
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, threadName);
			thread.setDaemon(true);
			return thread;
		});
		long millis = interval.toMillis();
		scheduler.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
		return new PeriodicTask(scheduler);
	}

	/**
	 * Stop the schedule, interrupting a run in progress, and wait for it to end.
	 * @param wait how long to wait for a run in progress
	 */
	public void stop(Duration wait) {
		this.scheduler.shutdownNow();
		try {
			this.scheduler.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
