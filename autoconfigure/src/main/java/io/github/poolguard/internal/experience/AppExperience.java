package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencyReading;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the application felt in the last window, one immutable reading per window.
 *
 * @param readings the sources with enough operations in the window and a learned baseline
 * @param gcPauses the share of the last few windows the JVM was paused for garbage collection,
 * or {@code null} before enough windows and a baseline
 * @param cpuStalls the share of the last window runnable tasks waited for a CPU, or {@code null}
 * where Linux gives no pressure-stall information, before a baseline, or when a file could not be
 * read
 * @param batchRunning whether background work ran at the end of the window, so the baseline
 * stayed as it was
 * @param ready whether the application was ready, so that quiet windows teach the baselines
 * @param learned whether any baseline (a source's, the GC share's or the CPU stall share's) has
 * seen enough quiet windows to be compared with
 * @param sampledAt when the window ended
 */
public record AppExperience(List<LatencyReading> readings, @Nullable GcPauseShare gcPauses,
		@Nullable CpuStallShare cpuStalls, boolean batchRunning, boolean ready, boolean learned, Instant sampledAt) {

	/**
	 * No reading yet.
	 */
	public static final AppExperience NONE = new AppExperience(List.of(), null, null, false, false, false,
			Instant.EPOCH);

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

	/**
	 * Describe the reading for the health details: each source's recent and baseline mean in
	 * milliseconds, the GC pause and CPU stall shares in percent, whether a batch ran.
	 * @return the details, in a stable order
	 */
	public Map<String, Object> toDetails() {
		Map<String, Object> details = new LinkedHashMap<>();
		Map<String, Object> latency = new LinkedHashMap<>();
		for (LatencyReading reading : this.readings) {
			Map<String, Object> source = new LinkedHashMap<>();
			source.put("recentMs", round(reading.recent().toNanos() / 1e6));
			source.put("baselineMs", round(reading.baseline().toNanos() / 1e6));
			source.put("ratio", round(reading.ratio()));
			source.put("samples", reading.samples());
			latency.put(reading.source(), source);
		}
		details.put("latency", latency);
		if (this.gcPauses != null) {
			Map<String, Object> gc = new LinkedHashMap<>();
			gc.put("recentPercent", round(this.gcPauses.recent() * 100));
			gc.put("baselinePercent", round(this.gcPauses.baseline() * 100));
			gc.put("overSeconds", round(this.gcPauses.seconds()));
			details.put("gcPauses", gc);
		}
		if (this.cpuStalls != null) {
			Map<String, Object> cpu = new LinkedHashMap<>();
			cpu.put("recentPercent", round(this.cpuStalls.recent() * 100));
			cpu.put("baselinePercent", round(this.cpuStalls.baseline() * 100));
			if (this.cpuStalls.throttledPeriods() >= 0) {
				cpu.put("throttledPercent", round(this.cpuStalls.throttled() * 100));
				cpu.put("throttledPeriods", this.cpuStalls.throttledPeriods());
			}
			details.put("cpuPressure", cpu);
		}
		details.put("batchRunning", this.batchRunning);
		details.put("sampledAt", this.sampledAt.toString());
		return details;
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

}
