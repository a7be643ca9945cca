package io.github.poolguard.batch;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The original script's schedule: {@code chunk-size} items, wait until all of them have
 * finished, pause {@code delay-between-chunks}, next chunk. Database steps are bounded only by
 * the run's concurrency and the background pool.
 */
final class FixedPacing implements ChunkPacing {

	private final Duration delay;

	FixedPacing(Duration delay) {
		this.delay = delay;
	}

	@Override
	public boolean waitsForChunk() {
		return true;
	}

	@Override
	public boolean checksEveryItem() {
		return false;
	}

	@Override
	public int itemsAllowed(int concurrency) {
		return concurrency;
	}

	@Override
	public Duration pauseAfterChunk() {
		return this.delay;
	}

	@Override
	public void onPressure() {
	}

	@Override
	public void onPressureEnded() {
	}

	@Override
	public <R> R database(Callable<R> step) throws Exception {
		return step.call();
	}

}
