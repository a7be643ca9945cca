package io.github.poolguard.batch;

import java.util.List;

/**
 * The outcome of a finished batch run: its final progress, each failed item with its cause,
 * and the items that never ran (so a rerun can pick them up).
 *
 * @param <T> the item type
 * @param progress the final progress
 * @param failures the failed items
 * @param notRun the items never worked on
 */
public record BatchReport<T>(BatchProgress progress, List<ItemFailure<T>> failures, List<T> notRun) {

	/**
	 * Return whether every item succeeded.
	 * @return {@code true} when nothing failed and everything ran
	 */
	public boolean isSuccessful() {
		return this.failures.isEmpty() && this.notRun.isEmpty() && this.progress.state() == BatchState.COMPLETED;
	}

}
