package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencyReading;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the application felt in the last window, one immutable reading per window.
 *
 * @param readings the sources with enough operations in the window and a learned baseline
 * @param batchRunning whether background work ran during the window, so the baseline stayed as
 * it was
 * @param sampledAt when the window ended
 */
public record AppExperience(List<LatencyReading> readings, boolean batchRunning, Instant sampledAt) {

	/**
	 * No reading yet.
	 */
	public static final AppExperience NONE = new AppExperience(List.of(), false, Instant.EPOCH);

	/**
	 * Return the source that slowed most relative to its baseline.
	 * @return the worst reading, or {@code null} when there is none
	 */
	public @Nullable LatencyReading worst() {
		LatencyReading worst = null;
		for (LatencyReading reading : this.readings) {
			if (worst == null || reading.ratio() > worst.ratio()) {
				worst = reading;
			}
		}
		return worst;
	}

}
