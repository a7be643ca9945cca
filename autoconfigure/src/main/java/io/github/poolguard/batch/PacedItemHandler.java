package io.github.poolguard.batch;

/**
 * Does the work of a batch run for one item and marks its database part with
 * {@link ItemContext#database}, so the executor can run more items at once than it lets talk to
 * the database. A plain {@link ItemHandler} counts as database work from start to end.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface PacedItemHandler<T> {

	/**
	 * Handle one item.
	 * @param item the item
	 * @param context runs the item's database steps under a database permit
	 * @throws Exception when the item fails
	 */
	void handle(T item, ItemContext context) throws Exception;

}
