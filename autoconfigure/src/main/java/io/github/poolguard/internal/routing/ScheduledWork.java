package io.github.poolguard.internal.routing;

import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

/**
 * Runs every task of a scheduler as scheduled work: with the scheduling workload bound (by
 * default {@link Workload#BACKGROUND}) and the thread marked as running scheduled work for the
 * task's duration, so holder tracking and metrics tell scheduled work apart.
 */
public final class ScheduledWork implements TaskDecorator {

	private static final ThreadLocal<Boolean> RUNNING = new ThreadLocal<>();

	private final Workload workload;

	private final @Nullable ScheduledWorkDrain drain;

	/**
	 * Create the decorator.
	 * @param workload the workload scheduled tasks run as
	 */
	public ScheduledWork(Workload workload) {
		this(workload, null);
	}

	/**
	 * Create the decorator, with runs that stop starting when the application stops.
	 * @param workload the workload scheduled tasks run as
	 * @param drain counts the runs in flight and holds new ones back at shutdown, or
	 * {@code null}
	 */
	public ScheduledWork(Workload workload, @Nullable ScheduledWorkDrain drain) {
		this.workload = workload;
		this.drain = drain;
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
			ScheduledWorkDrain drain = this.drain;
			if (drain != null && !drain.enter()) {
				// the application is stopping: a run started now would outlive the pool it uses
				return;
			}
			Boolean previous = RUNNING.get();
			RUNNING.set(Boolean.TRUE);
			try {
				scoped.run();
			}
			finally {
				if (previous == null) {
					RUNNING.remove();
				}
				if (drain != null) {
					drain.leave();
				}
			}
		};
	}

}
