package io.github.poolguard.batch;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.poolguard.routing.Workload;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;

/**
 * The executor as Spring's {@link AsyncTaskExecutor} ({@code @Async}, {@code submit}): tasks
 * share the batch workers, run as {@link Workload#BACKGROUND}, and at most
 * {@code queue-capacity} of them wait; more are rejected with a message that says so.
 */
final class TaskExecutorView implements AsyncTaskExecutor {

	private final ThrottlingExecutor executor;

	private final int queueCapacity;

	private final AtomicInteger queued = new AtomicInteger();

	TaskExecutorView(ThrottlingExecutor executor, int queueCapacity) {
		this.executor = executor;
		this.queueCapacity = queueCapacity;
	}

	@Override
	public void execute(Runnable task) {
		if (!this.executor.isAccepting()) {
			throw new TaskRejectedException("PoolGuard batch executor rejected a task: the application is shutting down");
		}
		if (this.queued.incrementAndGet() > this.queueCapacity) {
			this.queued.decrementAndGet();
			throw new TaskRejectedException("PoolGuard batch executor rejected a task: " + this.executor.getQueuedCount()
					+ " tasks are already waiting (poolguard.batch.queue-capacity=" + this.queueCapacity + ") for "
					+ this.executor.getMaxConcurrency() + " workers (poolguard.batch.max-concurrency); slow the"
					+ " producer down or submit a batch run instead");
		}
		try {
			this.executor.workers().execute(new AsyncTask(task));
		}
		catch (RejectedExecutionException ex) {
			this.queued.decrementAndGet();
			throw new TaskRejectedException("PoolGuard batch executor rejected a task: the application is shutting down",
					ex);
		}
	}

	/**
	 * A submitted task on a worker.
	 */
	final class AsyncTask implements Runnable {

		private final Runnable task;

		AsyncTask(Runnable task) {
			this.task = task;
		}

		@Override
		public void run() {
			TaskExecutorView.this.queued.decrementAndGet();
			boolean failed = true;
			try {
				Workload.BACKGROUND.run(this.task);
				failed = failedInside(this.task);
			}
			finally {
				TaskExecutorView.this.executor.metrics().taskEnded("async", failed ? "failure" : "success");
			}
		}

		void skip() {
			TaskExecutorView.this.queued.decrementAndGet();
			if (this.task instanceof Future<?> future) {
				future.cancel(false);
			}
			TaskExecutorView.this.executor.metrics().taskEnded("async", "not_run");
		}

		private static boolean failedInside(Runnable task) {
			if (task instanceof Future<?> future && future.isDone() && !future.isCancelled()) {
				try {
					future.get();
				}
				catch (ExecutionException ex) {
					return true;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return false;
		}

	}

}
