package io.github.poolguard.batch;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link RunDispatcher} may ask of the executor that runs it, and nothing more: whether
 * it still takes work, the pressure to yield to, threads to run on, and where a run ends. The
 * dispatcher never sees the executor itself, the way HikariCP's bag sees only a listener.
 */
interface RunCallbacks {

	/**
	 * Return whether the executor still takes work (it is not shutting down).
	 * @return {@code true} while it does
	 */
	boolean isAccepting();

	/**
	 * Return whether the executor's grace period ran out and every run must stop now.
	 * @return {@code true} after a forced stop
	 */
	boolean isForcedStop();

	/**
	 * Return the first pressure a source reports now.
	 * @return a sentence, or {@code null} when nothing asks batch work to yield
	 */
	@Nullable String currentPressure();

	/**
	 * Return the longest a run yields before it runs one chunk anyway.
	 * @return the limit
	 */
	Duration maxYield();

	/**
	 * Return the meters the run reports to.
	 * @return the metrics
	 */
	BatchMetrics metrics();

	/**
	 * Run a task on a worker thread.
	 * @param task the task
	 */
	void execute(Runnable task);

	/**
	 * Run a task on the timer thread after a delay.
	 * @param task the task
	 * @param delayNanos the delay
	 */
	void schedule(Runnable task, long delayNanos);

	/**
	 * End the run: record its final state and release its claim.
	 * @param <T> the item type
	 * @param run the run
	 * @param state its final state
	 * @param claim its exclusive claim, or {@code null}
	 */
	<T> void finish(BatchRun<T> run, BatchState state, BatchClaims.@Nullable BatchClaim claim);

}
