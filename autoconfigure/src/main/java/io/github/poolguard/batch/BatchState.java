package io.github.poolguard.batch;

/**
 * Where a batch run is in its life.
 */
public enum BatchState {

	/**
	 * Items are being worked on.
	 */
	RUNNING,

	/**
	 * Waiting before the next chunk because the application is short of connections.
	 */
	YIELDING,

	/**
	 * Paused by an operator: no item starts until the run is resumed.
	 */
	PAUSED,

	/**
	 * Every item was tried.
	 */
	COMPLETED,

	/**
	 * Cancelled by the caller; items not started are reported as not run.
	 */
	CANCELLED,

	/**
	 * Stopped by application shutdown, or because an exclusive run lost its claim; items not
	 * finished are reported as not run.
	 */
	STOPPED,

	/**
	 * Not started because the run is exclusive and another instance holds its claim; every
	 * item is reported as not run.
	 */
	SKIPPED;

	/**
	 * Return whether the run has ended.
	 * @return {@code true} once no more items will be worked on
	 */
	public boolean isFinished() {
		return this == COMPLETED || this == CANCELLED || this == STOPPED || this == SKIPPED;
	}

}
