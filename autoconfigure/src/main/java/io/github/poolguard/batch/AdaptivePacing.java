package io.github.poolguard.batch;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;

import io.github.poolguard.internal.pacing.DutyCycle;

/**
 * Paces a run to what the server and the application can spare. Chunks overlap (the next one
 * starts as items of the previous one finish), the pause between chunks starts at
 * {@code delay-between-chunks} and halves after every chunk without application pressure, and
 * database steps go through the executor's {@link DatabaseLimiter}.
 *
 * <p>
 * The application's pace {@code p} (0 to 1, from how far its experience is from its baseline)
 * is the share of the run's unpaced throughput it may have, and steers the run continuously: at
 * most {@code p} of the run's concurrency in flight and {@code p} of the database limit (each
 * rounded up, at least one), and, for what that rounding leaves, a duty cycle: after each chunk
 * a pause of {@code active × (q / p − 1)}, where {@code active} is how long the run went since
 * its last pause and {@code q} the share the rounded limits allow ({@code min} of items and
 * database steps allowed over their maxima). So at {@code p = 0.3} with 8 items and 2 database
 * steps (1 step allowed, {@code q = 0.5}) the run goes 3/5 of the time. The pause is at most half
 * a second, so a steered run still moves every second. (The law before 0.6 paused
 * {@code delay × (1 − p) / p} whatever the run's speed, so that a pace of 0.5 made a run of 100
 * items a second go at 15.)
 *
 * <p>
 * Hard pressure (a {@code PressureSource}) restores the full pause and drops the database limit
 * to one at once, where it stays until the pressure ends.
 */
final class AdaptivePacing implements ChunkPacing {

	private static final Duration SHORTEST_PAUSE = Duration.ofMillis(1);

	private final Duration delay;

	private final DatabaseLimiter limiter;

	private final DoubleSupplier pace;

	private volatile Duration nextPause;

	// the run's concurrency as last asked (also by the endpoint, outside the dispatcher's lock:
	// the same value), and when its last pause ended, touched under that lock
	private volatile int concurrency = 1;

	private long activeSince = System.nanoTime();

	AdaptivePacing(Duration delay, DatabaseLimiter limiter, DoubleSupplier pace) {
		this.delay = delay;
		this.limiter = limiter;
		this.pace = pace;
		this.nextPause = delay;
	}

	@Override
	public int itemsAllowed(int concurrency) {
		this.concurrency = concurrency;
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
		long now = System.nanoTime();
		Duration pause = this.nextPause;
		Duration half = pause.dividedBy(2);
		this.nextPause = (half.compareTo(SHORTEST_PAUSE) < 0) ? Duration.ZERO : half;
		Duration paced = dutyCyclePause(this.pace.getAsDouble(), this.concurrency, this.limiter.getMax(),
				Duration.ofNanos(now - this.activeSince));
		Duration chosen = (paced.compareTo(pause) > 0) ? paced : pause;
		this.activeSince = now + chosen.toNanos();
		return chosen;
	}

	/**
	 * The pause that brings a run allowed a rounded-up share of its items and database steps down
	 * to the pace: {@code active × (q / p − 1)}, at most {@link DutyCycle#LONGEST_PAUSE}.
	 * @param pace the pace, 0 to 1
	 * @param concurrency the run's items at most in flight
	 * @param databaseMax the database limit's maximum
	 * @param active how long the run went since its last pause
	 * @return the pause, zero at full pace
	 */
	static Duration dutyCyclePause(double pace, int concurrency, int databaseMax, Duration active) {
		double allowed = Math.min(DatabaseLimiter.share(pace, concurrency) / (double) concurrency,
				DatabaseLimiter.share(pace, databaseMax) / (double) databaseMax);
		return DutyCycle.pause(pace, allowed, active);
	}

	@Override
	public void onPressure() {
		this.nextPause = this.delay;
		this.limiter.backOff();
	}

	@Override
	public void onPressureEnded() {
		// a hold is not activity the next pause should balance
		this.activeSince = System.nanoTime();
		this.limiter.recover();
	}

	@Override
	public <R> R database(Callable<R> step) throws Exception {
		return this.limiter.call(step);
	}

}
