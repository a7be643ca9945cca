package io.github.poolguard.internal.pressure;

import io.github.poolguard.pressure.PressureSource;

import java.time.Duration;
import java.util.Locale;

import io.github.poolguard.internal.experience.AppExperience;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.internal.experience.GcPauseShare;
import io.github.poolguard.experience.LatencyReading;
import io.github.poolguard.internal.text.Formats;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Reports pressure while the application's recent latency is above {@code tolerance} times its
 * baseline ({@code poolguard.batch.app-latency-tolerance}), so that batch work backs off on what
 * the application feels, not only on connections it waits for. A slowdown of less than
 * {@link #MIN_EXCESS} is ignored whatever the ratio: means under a millisecond (a local
 * {@code SELECT 1}) double on scheduling noise alone, and no user feels the difference.
 *
 * <p>
 * The same tolerance applies to the share of time the JVM was paused for garbage collection:
 * past {@code tolerance} times its share without a batch, and at least {@link #MIN_GC_EXCESS}
 * of the time above it, batch work backs off too. A pause stops every request at once, so it
 * shows in the app's tail latency while the mean of a window barely moves.
 */
public class AppLatencyPressure implements PressureSource {

	static final Duration MIN_EXCESS = Duration.ofMillis(1);

	// one percent of the time paused beyond the baseline: 50 ms in five seconds
	static final double MIN_GC_EXCESS = 0.01;

	private final AppExperienceSampler sampler;

	private final double tolerance;

	/**
	 * Create a source reading the given sampler.
	 * @param sampler the app-experience sampler
	 * @param tolerance how many times its baseline the app's latency may be before batch work
	 * backs off; greater than 1
	 */
	public AppLatencyPressure(AppExperienceSampler sampler, double tolerance) {
		Assert.isTrue(tolerance > 1, "tolerance must be greater than 1");
		this.sampler = sampler;
		this.tolerance = tolerance;
	}

	@Override
	public @Nullable String currentPressure() {
		AppExperience experience = this.sampler.getLatest();
		for (LatencyReading reading : experience.readings()) {
			if (reading.ratio() > this.tolerance
					&& reading.recent().minus(reading.baseline()).compareTo(MIN_EXCESS) >= 0) {
				return String.format(Locale.ROOT,
						"%s took %.1f ms on average over the last %s, %.1f times its %.1f ms without a batch"
								+ " (poolguard.batch.app-latency-tolerance %s)",
						reading.source(), millis(reading.recent()), Formats.duration(this.sampler.getWindow()),
						reading.ratio(), millis(reading.baseline()), this.tolerance);
			}
		}
		GcPauseShare gc = experience.gcPauses();
		if (gc != null && gc.recent() > this.tolerance * gc.baseline() && gc.excess() >= MIN_GC_EXCESS) {
			return String.format(Locale.ROOT,
					"the JVM paused for garbage collection %.1f%% of the last %s, against %.1f%% without a batch"
							+ " (poolguard.batch.app-latency-tolerance %s)",
					gc.recent() * 100, Formats.duration(Duration.ofMillis(Math.round(gc.seconds() * 1000))),
					gc.baseline() * 100, this.tolerance);
		}
		return null;
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1_000_000.0;
	}

}
