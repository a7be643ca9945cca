package io.github.poolguard.actuate;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One batch run as {@code /actuator/poolguard} shows it under {@code batches}.
 *
 * @param name the batch's name
 * @param state its state, such as {@code RUNNING}, {@code YIELDING}, {@code COMPLETED}
 * @param done tasks finished
 * @param total tasks submitted, or -1 when not known yet
 * @param failed tasks that failed after their last attempt
 * @param retries attempts that were retried
 * @param ratePerSecond tasks finished per second, recently
 * @param eta estimated time to finish, or {@code null} when not known
 * @param concurrency items of the run allowed in flight at once, or 0 when not known
 */
public record BatchRunDescriptor(String name, String state, long done, long total, long failed, long retries,
		double ratePerSecond, @Nullable Duration eta, int concurrency) {

	/**
	 * Create a descriptor without a concurrency.
	 * @param name the batch's name
	 * @param state its state
	 * @param done tasks finished
	 * @param total tasks submitted, or -1 when not known yet
	 * @param failed tasks that failed after their last attempt
	 * @param retries attempts that were retried
	 * @param ratePerSecond tasks finished per second, recently
	 * @param eta estimated time to finish, or {@code null} when not known
	 */
	public BatchRunDescriptor(String name, String state, long done, long total, long failed, long retries,
			double ratePerSecond, @Nullable Duration eta) {
		this(name, state, done, total, failed, retries, ratePerSecond, eta, 0);
	}

}
