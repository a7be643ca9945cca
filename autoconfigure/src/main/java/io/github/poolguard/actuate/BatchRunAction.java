package io.github.poolguard.actuate;

/**
 * What an operator can do to a running batch through {@code /actuator/poolguard}.
 */
public enum BatchRunAction {

	/**
	 * Start no more items until resumed; items in flight finish.
	 */
	PAUSE,

	/**
	 * Start items again after a pause.
	 */
	RESUME,

	/**
	 * Stop the run: items in flight finish, the rest are reported as not run.
	 */
	CANCEL,

	/**
	 * Change how many items of the run may be in flight at once.
	 */
	CONCURRENCY

}
