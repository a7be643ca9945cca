package io.github.poolguard.batch;

import java.util.concurrent.Callable;

/**
 * What a {@link PacedItemHandler} uses to mark the part of an item that talks to the database.
 * Only that part holds a database permit (and so a background connection); network calls and
 * parsing before and after it do not, so items in flight are bounded separately from database
 * use.
 */
public interface ItemContext {

	/**
	 * Run the database step of the item under a database permit, waiting for one if the
	 * limit is reached. Open and close connections inside it, not outside.
	 * @param <R> the result type
	 * @param step the database step
	 * @return what the step returns
	 * @throws Exception what the step throws, or {@link InterruptedException} when the wait
	 * for a permit is interrupted
	 */
	<R> R database(Callable<R> step) throws Exception;

	/**
	 * Run a database step that returns nothing under a database permit.
	 * @param step the database step
	 * @throws Exception what the step throws
	 */
	default void database(DatabaseStep step) throws Exception {
		database(() -> {
			step.run();
			return null;
		});
	}

	/**
	 * A database step without a result.
	 */
	@FunctionalInterface
	interface DatabaseStep {

		/**
		 * Do the step.
		 * @throws Exception when it fails
		 */
		void run() throws Exception;

	}

}
