package io.github.poolguard.batch;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.github.poolguard.internal.batch.DatabaseLimiter;

/**
 * Paces a run to what the server and the application can spare. Chunks overlap (the next one
 * starts as items of the previous one finish), the pause between chunks starts at
 * {@code delay-between-chunks} and halves after every chunk without application pressure, and
 * database steps go through the executor's {@link DatabaseLimiter}. Pressure restores the full
 * pause and drops the database limit to one at once, where it stays until the pressure ends.
 */
final class AdaptivePacing implements ChunkPacing {

	private static final Duration SHORTEST_PAUSE = Duration.ofMillis(1);

	private final Duration delay;

	private final DatabaseLimiter limiter;

	private volatile Duration nextPause;

	AdaptivePacing(Duration delay, DatabaseLimiter limiter) {
		this.delay = delay;
		this.limiter = limiter;
		this.nextPause = delay;
	}

	@Override
	public boolean waitsForChunk() {
		return false;
	}

	@Override
	public boolean checksEveryItem() {
		return true;
	}

	@Override
	public Duration pauseAfterChunk() {
		Duration pause = this.nextPause;
		Duration half = pause.dividedBy(2);
		this.nextPause = (half.compareTo(SHORTEST_PAUSE) < 0) ? Duration.ZERO : half;
		return pause;
	}

	@Override
	public void onPressure() {
		this.nextPause = this.delay;
		this.limiter.backOff();
	}

	@Override
	public void onPressureEnded() {
		this.limiter.recover();
	}

	@Override
	public <R> R database(Callable<R> step) throws Exception {
		return this.limiter.call(step);
	}

}
