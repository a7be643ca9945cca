package io.github.poolguard.batch;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import io.github.poolguard.internal.pacing.SlowStart;


/**
 * The pacing policy of one batch run: when its chunks may start, how long it pauses between
 * them, and how its database steps are limited. {@link FixedPacing} keeps the configured
 * schedule; {@link AdaptivePacing} follows the server.
 */
interface ChunkPacing {

	/**
	 * Return whether a chunk starts only after every item of the previous one has finished.
	 * @return {@code true} for a barrier between chunks
	 */
	boolean waitsForChunk();

	/**
	 * Return whether application pressure is checked before each item, rather than only
	 * before each chunk.
	 * @return {@code true} to check before each item
	 */
	boolean checksEveryItem();

	/**
	 * Return how many of the run's items may be in flight now.
	 * @param concurrency the run's concurrency
	 * @return the items allowed, between 1 and the concurrency
	 */
	int itemsAllowed(int concurrency);

	/**
	 * Return the pause after the chunk that just ended.
	 * @return the pause, possibly zero
	 */
	Duration pauseAfterChunk();

	/**
	 * Called when the application is found under pressure.
	 */
	void onPressure();

	/**
	 * Called when the run starts items again after pressure: it ended, or the run stopped
	 * yielding at {@code max-yield}.
	 */
	void onPressureEnded();

	/**
	 * Run one database step of an item under this policy's limit.
	 * @param <R> the result type
	 * @param step the step
	 * @return its result
	 * @throws Exception what it throws
	 */
	<R> R database(Callable<R> step) throws Exception;

	/**
	 * Return the policy for a run.
	 * @param options the run's options
	 * @param limiter the executor's database limiter
	 * @param pace the share of its items and database steps the application's experience allows
	 * batch work now, 0 to 1
	 * @param slowStart how long a steered run takes to reach that pace from a fifth of it
	 * ({@link SlowStart}); zero for none
	 * @param slowStartClock the nanoseconds the slow start ramps on
	 * @return the policy
	 */
	static ChunkPacing of(BatchOptions options, DatabaseLimiter limiter, DoubleSupplier pace, Duration slowStart,
			LongSupplier slowStartClock) {
		return (options.pacing() == PacingMode.FIXED) ? new FixedPacing(options.delayBetweenChunks())
				// a run that does not yield to the app is not steered by it either, nor started slowly
				: new AdaptivePacing(options.delayBetweenChunks(), limiter,
						options.yieldToApp() ? SlowStart.of(pace, slowStart, slowStartClock) : () -> 1.0);
	}

}
