package io.github.poolguard.actuate;

import java.util.List;

/**
 * Supplies the batch runs {@code /actuator/poolguard} lists under {@code batches}. The
 * throttling executor's run registry provides one; with none, the list is empty.
 */
@FunctionalInterface
public interface BatchRuns {

	/**
	 * Return the current and recent batch runs, answered from memory.
	 * @return the runs
	 */
	List<BatchRunDescriptor> getBatchRuns();

	/**
	 * Return whether any of the runs is working now ({@code RUNNING} or {@code YIELDING}), which
	 * stops PoolGuard learning the app's latency without a batch.
	 * @return whether a run is in progress
	 */
	default boolean isRunning() {
		return getBatchRuns().stream()
			.anyMatch((run) -> "RUNNING".equals(run.state()) || "YIELDING".equals(run.state()));
	}

}
