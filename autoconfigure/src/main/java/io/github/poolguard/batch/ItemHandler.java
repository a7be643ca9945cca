package io.github.poolguard.batch;

/**
 * Does the work of a batch run for one item. It runs on the background pool; an exception fails
 * this item only (transient database errors are retried first) and never stops the run. The
 * whole item counts as database work (it holds a database permit from start to end); a
 * {@link PacedItemHandler} marks only its database steps.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface ItemHandler<T> {

	/**
	 * Handle one item.
	 * @param item the item
	 * @throws Exception when the item fails
	 */
	void handle(T item) throws Exception;

}
