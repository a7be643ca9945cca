package io.github.poolguard.internal.pacing;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A steered run's slow start: it begins at a fifth of the pace and reaches all of it a ramp-up
 * later ({@code 0.2 + 0.8 × t / ramp-up}), the pace always winning when it is lower. The
 * application's experience is read once a window and acted on from the median of three, so a run
 * that starts at full concurrency has its first seconds unwatched, and in a fresh JVM the JIT
 * compiles its code in them too: in the open-loop benchmark that first burst took the API to
 * 3.9× its baseline before the pace could answer.
 */
public final class SlowStart {

	/**
	 * The share of the pace a run starts at.
	 */
	public static final double FIRST_SHARE = 0.2;

	private SlowStart() {
	}

	/**
	 * Return the pace of one run that starts now.
	 * @param pace the application's pace, 0 to 1
	 * @param rampUp how long the run takes to reach the whole pace; zero for none
	 * @param ticker nanoseconds; read now for the run's start
	 * @return the run's pace
	 */
	public static DoubleSupplier of(DoubleSupplier pace, Duration rampUp, LongSupplier ticker) {
		if (rampUp.isZero() || rampUp.isNegative()) {
			return pace;
		}
		long start = ticker.getAsLong();
		double rampNanos = rampUp.toNanos();
		return () -> {
			double ramp = FIRST_SHARE + (1 - FIRST_SHARE) * (ticker.getAsLong() - start) / rampNanos;
			double applied = pace.getAsDouble();
			return (ramp >= 1) ? applied : Math.min(ramp, applied);
		};
	}

}
