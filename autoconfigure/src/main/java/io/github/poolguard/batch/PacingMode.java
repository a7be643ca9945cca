package io.github.poolguard.batch;


/**
 * How a batch run paces its chunks and its database work.
 */
public enum PacingMode {

	/**
	 * Paced to what the server and the app pool can spare: chunks overlap, the pause between
	 * them shrinks while the application is unaffected, database work is limited by a
	 * database limiter (Gradient2) that grows while the batch's own statements keep their speed and
	 * drops at once when the app pool has waiters.
	 */
	ADAPTIVE,

	/**
	 * The original script's schedule, exactly: a chunk starts only after the previous one has
	 * finished, followed by the same pause every time; each item counts as database work as a
	 * whole.
	 */
	FIXED

}
