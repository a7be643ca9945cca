package io.github.poolguard.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor's threads: {@code max-concurrency} workers that run items and submitted tasks,
 * and one timer thread that wakes runs after a pause or a yield check. No run has a thread of
 * its own. Stopped workers can be started again (a context restart).
 */
final class Workers {

	private final int size;

	private final AtomicInteger threads = new AtomicInteger();

	private volatile ThreadPoolExecutor pool;

	private volatile ScheduledThreadPoolExecutor timer;

	Workers(int size) {
		this.size = size;
		start();
	}

	synchronized void start() {
		if (this.pool != null && !this.pool.isShutdown()) {
			return;
		}
		this.pool = new ThreadPoolExecutor(this.size, this.size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				(task) -> daemon(task, "poolguard-batch-" + this.threads.incrementAndGet()));
		this.pool.prestartAllCoreThreads();
		this.timer = new ScheduledThreadPoolExecutor(1, (task) -> daemon(task, "poolguard-batch-timer"));
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.prestartAllCoreThreads();
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	void execute(Runnable task) {
		this.pool.execute(task);
	}

	void schedule(Runnable task, long delayNanos) {
		try {
			this.timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// stopped: the run is woken by the stop itself
		}
	}

	int active() {
		return this.pool.getActiveCount();
	}

	int queued() {
		return this.pool.getQueue().size();
	}

	/**
	 * Take no more tasks and hand back the ones still queued, which will not run.
	 */
	List<Runnable> shutdown() {
		this.pool.shutdown();
		List<Runnable> queued = new ArrayList<>();
		this.pool.getQueue().drainTo(queued);
		return queued;
	}

	boolean awaitTermination(Duration timeout) throws InterruptedException {
		return this.pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	List<Runnable> shutdownNow() {
		return this.pool.shutdownNow();
	}

	void stopTimer() {
		this.timer.shutdownNow();
	}

}
