package io.github.poolguard.internal.pacing;

import java.time.Duration;

/**
 * The steered pause of batch work, shared by the executor's adaptive runs and Spring Batch's
 * chunks: a pace {@code p} (the share of its unpaced throughput batch work may have) that the
 * concurrency limits allow only as a larger share {@code q} is made up by running {@code p / q}
 * of the time.
 */
public final class DutyCycle {

	/**
	 * The longest steered pause: half the app-experience window, so that a steered run moves in
	 * every window; only a hold stops it.
	 */
	public static final Duration LONGEST_PAUSE = Duration.ofMillis(500);

	private DutyCycle() {
	}

	/**
	 * Return the pause after some active time that brings work the limits allow at a share
	 * {@code allowed} down to {@code pace}: {@code active × (allowed / pace − 1)}, at most
	 * {@link #LONGEST_PAUSE}.
	 * @param pace the pace, 0 to 1
	 * @param allowed the share of its throughput the concurrency limits allow now, 0 to 1
	 * @param active how long the work went since its last pause
	 * @return the pause, zero at full pace or when the limits already give the pace
	 */
	public static Duration pause(double pace, double allowed, Duration active) {
		if (!(pace > 0) || pace >= 1 || allowed <= pace || active.isNegative()) {
			return Duration.ZERO;
		}
		Duration paused = Duration.ofNanos((long) (active.toNanos() * (allowed / pace - 1)));
		return (paused.compareTo(LONGEST_PAUSE) > 0) ? LONGEST_PAUSE : paused;
	}

}
