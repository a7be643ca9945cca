package io.github.poolguard.batch;

/**
 * Receives what the executor does, for metrics. The default does nothing; with Micrometer on
 * the class path the auto-configuration supplies one that publishes the {@code poolguard.batch.*}
 * meters.
 */
public interface BatchMetrics {

	/**
	 * Metrics that record nothing.
	 */
	BatchMetrics NONE = new BatchMetrics() {
	};

	/**
	 * Called when a task of the named batch ends.
	 * @param batch the batch name ({@code async} for tasks submitted through the
	 * {@code AsyncTaskExecutor} view)
	 * @param outcome {@code success}, {@code failure} or {@code not_run}
	 */
	default void taskEnded(String batch, String outcome) {
	}

	/**
	 * Called when a batch run pauses for the application.
	 * @param batch the batch name
	 */
	default void yielded(String batch) {
	}

	/**
	 * Called once when the executor starts, so gauges can read its queue and workers.
	 * @param executor the executor
	 */
	default void bind(ThrottlingExecutor executor) {
	}

}
