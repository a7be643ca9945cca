package io.github.poolguard.internal.routing;

import io.github.poolguard.routing.Workload;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs every task of a scheduler as scheduled work: with the scheduling workload bound (by
 * default {@link Workload#BACKGROUND}) and the thread marked as running scheduled work for the
 * task's duration, so holder tracking and metrics tell scheduled work apart.
 */
public final class ScheduledWork implements TaskDecorator {

	private static final ThreadLocal<Boolean> RUNNING = new ThreadLocal<>();

	private final Workload workload;

	/**
	 * Create the decorator.
	 * @param workload the workload scheduled tasks run as
	 */
	public ScheduledWork(Workload workload) {
		this.workload = workload;
	}

	/**
	 * Return whether the calling thread is running a scheduled task.
	 * @return {@code true} inside a task decorated by a {@code ScheduledWork}
	 */
	public static boolean isRunning() {
		return RUNNING.get() != null;
	}

	/**
	 * Return the workload scheduled tasks run as.
	 * @return the workload
	 */
	public Workload getWorkload() {
		return this.workload;
	}

	@Override
	public Runnable decorate(Runnable task) {
		Runnable scoped = this.workload.wrap(task);
		return () -> {
			Boolean previous = RUNNING.get();
			RUNNING.set(Boolean.TRUE);
			try {
				scoped.run();
			}
			finally {
				if (previous == null) {
					RUNNING.remove();
				}
			}
		};
	}

}
