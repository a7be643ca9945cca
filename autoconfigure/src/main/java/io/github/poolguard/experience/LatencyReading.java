package io.github.poolguard.experience;

import java.time.Duration;

/**
 * One source's recent mean duration against its baseline.
 *
 * @param source what is measured
 * @param recent the mean duration of the operations that finished in the last window
 * @param baseline the mean learned while no batch ran
 * @param samples how many operations finished in the last window
 */
public record LatencyReading(String source, Duration recent, Duration baseline, long samples) {

	/**
	 * Return how many times slower than its baseline the source is now.
	 * @return recent divided by baseline
	 */
	public double ratio() {
		return (double) this.recent.toNanos() / Math.max(1, this.baseline.toNanos());
	}

}
