package io.github.poolguard.actuate;

import org.jspecify.annotations.Nullable;

/**
 * Acts on a running batch for {@code /actuator/poolguard}'s write operation: pause, resume,
 * cancel, or change its concurrency. The throttling executor provides one.
 */
@FunctionalInterface
public interface BatchRunControls {

	/**
	 * Apply an action to the batch run in flight with the given name.
	 * @param name the run's name
	 * @param action what to do
	 * @param concurrency the new concurrency, for {@link BatchRunAction#CONCURRENCY}
	 * @param actor who asks, for the log line
	 * @return the run after the action, or {@code null} when no run of that name is in flight
	 * @throws IllegalArgumentException when the action's value is out of range
	 */
	@Nullable BatchRunDescriptor apply(String name, BatchRunAction action, @Nullable Integer concurrency,
			String actor);

}
