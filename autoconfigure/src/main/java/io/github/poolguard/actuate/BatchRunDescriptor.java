package io.github.poolguard.actuate;

import java.time.Duration;
import java.util.Map;

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
 * @param details further fields of the kind of run (a Spring Batch step's job, step and
 * counts), shown next to the others; empty for the executor's runs
 */
public record BatchRunDescriptor(String name, String state, long done, long total, long failed, long retries,
		double ratePerSecond, @Nullable Duration eta, int concurrency, Map<String, Object> details) {

	/**
	 * Create a descriptor without details.
	 * @param name the batch's name
	 * @param state its state
	 * @param done tasks finished
	 * @param total tasks submitted, or -1 when not known yet
	 * @param failed tasks that failed after their last attempt
	 * @param retries attempts that were retried
	 * @param ratePerSecond tasks finished per second, recently
	 * @param eta estimated time to finish, or {@code null} when not known
	 * @param concurrency items of the run allowed in flight at once, or 0 when not known
	 */
	public BatchRunDescriptor(String name, String state, long done, long total, long failed, long retries,
			double ratePerSecond, @Nullable Duration eta, int concurrency) {
		this(name, state, done, total, failed, retries, ratePerSecond, eta, concurrency, Map.of());
	}

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
