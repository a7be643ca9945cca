package io.github.poolguard.routing;

import org.springframework.core.task.TaskDecorator;

/**
 * Carries the submitting thread's {@link Workload} to the thread that runs the task, so work
 * handed to a Spring executor ({@code @Async}, {@code CompletableFuture.supplyAsync(…, executor)})
 * borrows from the same pool as the code that submitted it. A task submitted where no workload
 * is bound runs as it would without the decorator.
 */
public final class WorkloadTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable task) {
		Workload workload = Workload.bound();
		return (workload != null) ? workload.wrap(task) : task;
	}

}
