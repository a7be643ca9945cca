package io.github.poolguard.batch;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The {@link RunCallbacks} of one {@link ThrottlingExecutor}: its runs' dispatchers reach the
 * executor only through these few calls.
 */
final class ExecutorRunCallbacks implements RunCallbacks {

	private final ThrottlingExecutor executor;

	ExecutorRunCallbacks(ThrottlingExecutor executor) {
		this.executor = executor;
	}

	@Override
	public boolean isAccepting() {
		return this.executor.isAccepting();
	}

	@Override
	public boolean isForcedStop() {
		return this.executor.isForcedStop();
	}

	@Override
	public @Nullable String currentPressure() {
		return this.executor.currentPressure();
	}

	@Override
	public Duration maxYield() {
		return this.executor.getMaxYield();
	}

	@Override
	public BatchMetrics metrics() {
		return this.executor.metrics();
	}

	@Override
	public void execute(Runnable task) {
		this.executor.workers().execute(task);
	}

	@Override
	public void schedule(Runnable task, long delayNanos) {
		this.executor.workers().schedule(task, delayNanos);
	}

	@Override
	public <T> void finish(BatchRun<T> run, BatchState state, BatchClaims.@Nullable BatchClaim claim) {
		this.executor.finish(run, state, claim);
	}

}
