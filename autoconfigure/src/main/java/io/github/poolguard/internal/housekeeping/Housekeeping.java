package io.github.poolguard.internal.housekeeping;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * One scheduler for PoolGuard's periodic work, on a small set of daemon threads. Each task runs
 * with a fixed delay, never overlapping itself; a slow task (a sample waiting for its query
 * timeout) holds one thread and leaves the other for the rest. Its threads exist from the first
 * {@link #every} until {@link #close()}; a closed scheduler starts new threads for the next
 * {@link #every} (a context restart).
 */
public final class Housekeeping implements AutoCloseable {

	private final String threadName;

	private final int size;

	private final AtomicInteger threads = new AtomicInteger();

	private @Nullable ScheduledThreadPoolExecutor executor;

	/**
	 * Create a scheduler; it starts no thread until work is scheduled.
	 * @param threadName the name of its thread, or with several the prefix of their names
	 * @param threads how many threads: with two, one task waiting for a server does not delay
	 * the others
	 */
	public Housekeeping(String threadName, int threads) {
		this.threadName = threadName;
		this.size = threads;
	}

	/**
	 * Run the task every interval, the first time after the given delay.
	 * @param initialDelay the delay before the first run, {@link Duration#ZERO} for at once
	 * @param interval the delay between the end of one run and the start of the next
	 * @param task the task; an exception it throws ends its schedule, so it should catch its own
	 * @return the schedule, to cancel
	 */
	public Schedule every(Duration initialDelay, Duration interval, Runnable task) {
		ReentrantLock running = new ReentrantLock();
		Runnable guarded = () -> {
			running.lock();
			try {
				task.run();
			}
			finally {
				running.unlock();
			}
		};
		ScheduledFuture<?> future = executor().scheduleWithFixedDelay(guarded, initialDelay.toMillis(),
				interval.toMillis(), TimeUnit.MILLISECONDS);
		return new Schedule(future, running);
	}

	private synchronized ScheduledThreadPoolExecutor executor() {
		ScheduledThreadPoolExecutor executor = this.executor;
		if (executor == null || executor.isShutdown()) {
			executor = new ScheduledThreadPoolExecutor(this.size, (runnable) -> {
				int number = this.threads.incrementAndGet();
				Thread thread = new Thread(runnable, (this.size == 1) ? this.threadName : this.threadName + "-" + number);
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			this.executor = executor;
		}
		return executor;
	}

	/**
	 * Stop every schedule, interrupting runs in progress, and wait a little for them to end.
	 */
	@Override
	public void close() {
		ScheduledThreadPoolExecutor executor;
		synchronized (this) {
			executor = this.executor;
			this.executor = null;
		}
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Return how many threads this scheduler has started since it was created.
	 * @return the number of threads started
	 */
	public int threadsStarted() {
		return this.threads.get();
	}

	/**
	 * One task's schedule.
	 */
	public static final class Schedule {

		private final ScheduledFuture<?> future;

		private final ReentrantLock running;

		Schedule(ScheduledFuture<?> future, ReentrantLock running) {
			this.future = future;
			this.running = running;
		}

		/**
		 * Run the task no more, interrupting a run in progress, and wait for that run to end.
		 * @param wait how long to wait for a run in progress
		 * @return {@code true} when no run is in progress any more
		 */
		public boolean cancel(Duration wait) {
			this.future.cancel(true);
			try {
				if (this.running.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
					this.running.unlock();
					return true;
				}
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

	}

}
