package io.github.poolguard.benchmarks.foreground;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Latency (HdrHistogram, microseconds) and outcomes of the requests sent within one window.
 */
final class PhaseStats {

	final Histogram latency = new Histogram(120_000_000L, 3);

	final Histogram sendLag = new Histogram(120_000_000L, 3);

	final Map<Load.Outcome, Long> outcomes = new EnumMap<>(Load.Outcome.class);

	double seconds;

	/**
	 * Collect the samples whose request was sent in {@code [fromNanos, toNanos)}.
	 * @param samples all samples
	 * @param fromNanos window start
	 * @param toNanos window end
	 * @return the statistics
	 */
	static PhaseStats of(List<Load.Sample> samples, long fromNanos, long toNanos) {
		PhaseStats stats = new PhaseStats();
		stats.seconds = (toNanos - fromNanos) / 1e9;
		for (Load.Outcome outcome : Load.Outcome.values()) {
			stats.outcomes.put(outcome, 0L);
		}
		for (Load.Sample sample : samples) {
			if (sample.startNanos() >= fromNanos && sample.startNanos() < toNanos) {
				stats.latency.recordValue(Math.min(Math.max(1, sample.latencyNanos() / 1000), 120_000_000L));
				stats.sendLag.recordValue(Math.min(Math.max(0, sample.sendLagNanos() / 1000), 120_000_000L));
				stats.outcomes.merge(sample.outcome(), 1L, Long::sum);
			}
		}
		return stats;
	}

	void add(PhaseStats other) {
		this.latency.add(other.latency);
		this.sendLag.add(other.sendLag);
		other.outcomes.forEach((outcome, count) -> this.outcomes.merge(outcome, count, Long::sum));
		this.seconds += other.seconds;
	}

	long requests() {
		return this.latency.getTotalCount();
	}

	long errors() {
		return requests() - this.outcomes.getOrDefault(Load.Outcome.OK, 0L);
	}

	double millis(double percentile) {
		return (requests() == 0) ? Double.NaN : this.latency.getValueAtPercentile(percentile) / 1000.0;
	}

	double sendLagMillis(double percentile) {
		return (requests() == 0) ? Double.NaN : this.sendLag.getValueAtPercentile(percentile) / 1000.0;
	}

	double maxMillis() {
		return (requests() == 0) ? Double.NaN : this.latency.getMaxValue() / 1000.0;
	}

	double throughput() {
		return requests() / this.seconds;
	}

}
