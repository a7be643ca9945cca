package io.github.poolguard.batch;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;


/**
 * Paces a run to what the server and the application can spare. Chunks overlap (the next one
 * starts as items of the previous one finish), the pause between chunks starts at
 * {@code delay-between-chunks} and halves after every chunk without application pressure, and
 * database steps go through the executor's {@link DatabaseLimiter}. The application's pace
 * ({@code p}, 0 to 1, from how far its experience is from its baseline) steers the run
 * continuously: at most {@code p} of the run's concurrency in flight (at least one item), and a
 * pause after each chunk of at least {@code delay × (1 − p) / p} (at most half a second, so that
 * a steered run still moves every second), so that a slower pace is both fewer items at once and
 * more time between chunks. Hard pressure (a {@code PressureSource})
 * restores the full pause and drops the database limit to one at once, where it stays until the
 * pressure ends.
 */
final class AdaptivePacing implements ChunkPacing {

	private static final Duration SHORTEST_PAUSE = Duration.ofMillis(1);

	// half the app-experience window: a steered run moves in every window; only a hold stops it
	private static final Duration LONGEST_STEERED_PAUSE = Duration.ofMillis(500);

	private final Duration delay;

	private final DatabaseLimiter limiter;

	private final DoubleSupplier pace;

	private volatile Duration nextPause;

	AdaptivePacing(Duration delay, DatabaseLimiter limiter, DoubleSupplier pace) {
		this.delay = delay;
		this.limiter = limiter;
		this.pace = pace;
		this.nextPause = delay;
	}

	@Override
	public int itemsAllowed(int concurrency) {
		return DatabaseLimiter.share(this.pace.getAsDouble(), concurrency);
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
		double pace = this.pace.getAsDouble();
		if (pace < 1 && pace > 0) {
			Duration paced = Duration.ofNanos((long) (this.delay.toNanos() * (1 - pace) / pace));
			if (paced.compareTo(LONGEST_STEERED_PAUSE) > 0) {
				paced = LONGEST_STEERED_PAUSE;
			}
			return (paced.compareTo(pause) > 0) ? paced : pause;
		}
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
