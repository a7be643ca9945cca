package io.github.poolguard.benchmarks.foreground;

import java.util.EnumMap;
import java.util.Map;

/**
 * One round: one configuration in one fresh JVM.
 */
final class Round {

	final String configuration;

	final int number;

	double seedSeconds = Double.NaN;

	// the fetch a round ran with no load before its warm-up (bench.batch-warm), NaN without one
	double warmFetchSeconds = Double.NaN;

	PhaseStats idle;

	PhaseStats batch;

	PhaseStats idleAfter;

	double idleAppCpu;

	double idleMachineCpu;

	double batchAppCpu;

	double batchMachineCpu;

	Map<String, Integer> idlePeaks;

	Map<String, Integer> batchPeaks;

	Map<String, Integer> idleAfterPeaks;

	Map<String, Integer> batchIdleInTransactionPeaks;

	long idlePoolTimeouts;

	long batchPoolTimeouts;

	long idleAfterPoolTimeouts;

	boolean batchFinished;

	String batchFinalState;

	String batchSummary;

	long yieldLogLines;

	double batchSeconds;

	/** The same fetch with no load, after the round's windows (first round only), or NaN. */
	double aloneSeconds = Double.NaN;

	/** The whole machine's busy CPU-seconds while that fetch ran, or NaN. */
	double aloneMachineCpuSeconds = Double.NaN;

	Map<Integer, Double> perSecondP99;

	double[] gcPauses;

	/** GC pauses that ended in each window: {count, total ms, max ms}. */
	final Map<Phase, double[]> gcPausesIn = new EnumMap<>(Phase.class);

	/** The {@code yields=} of the batch's summary line, or -1 when the line has none (naive). */
	long batchYields = -1;

	/** The app's extra arguments. */
	String appArguments = "";

	/** Position in the whole run, from 1. */
	int order;

	/** p99 per window when the round was read back from JSON (no histograms then). */
	final Map<Phase, Double> recordedP99 = new EnumMap<>(Phase.class);

	String loadBefore;

	String loadAfter;

	Round(String configuration, int number) {
		this.configuration = configuration;
		this.number = number;
	}

	PhaseStats stats(Phase phase) {
		return switch (phase) {
			case IDLE -> this.idle;
			case BATCH -> this.batch;
			case AFTER -> this.idleAfter;
		};
	}

	/**
	 * The window's p99, from its histogram, or as recorded in the JSON a chart is redrawn from.
	 * @param phase the window
	 * @return milliseconds, NaN when the window did not run
	 */
	double p99(Phase phase) {
		PhaseStats stats = stats(phase);
		if (stats != null) {
			return stats.millis(99);
		}
		return this.recordedP99.getOrDefault(phase, Double.NaN);
	}

	/**
	 * p99 during the batch over the window's p99.
	 * @param reference {@link Phase#IDLE} or {@link Phase#AFTER}
	 * @return the ratio, NaN when a window is missing
	 */
	double duringOver(Phase reference) {
		return p99(Phase.BATCH) / p99(reference);
	}

	/**
	 * Failed API requests in all windows of the round.
	 * @return how many
	 */
	long errors() {
		long errors = 0;
		for (Phase phase : Phase.values()) {
			PhaseStats stats = stats(phase);
			errors += (stats != null) ? stats.errors() : 0;
		}
		return errors;
	}

	Map<String, Integer> peaks(Phase phase) {
		return switch (phase) {
			case IDLE -> this.idlePeaks;
			case BATCH -> this.batchPeaks;
			case AFTER -> this.idleAfterPeaks;
		};
	}

	long poolTimeouts(Phase phase) {
		return switch (phase) {
			case IDLE -> this.idlePoolTimeouts;
			case BATCH -> this.batchPoolTimeouts;
			case AFTER -> this.idleAfterPoolTimeouts;
		};
	}

	String label() {
		return this.configuration + " #" + this.number;
	}

	String summary() {
		double[] gc = this.gcPausesIn.getOrDefault(Phase.BATCH, new double[3]);
		return String.format("%s: idle p99 %.1f ms (%d req), batch %.1f s%s, during batch p50 %.1f p99 %.1f max %.1f ms"
				+ " (%d req, %d errors, %d pool timeouts), GC in batch %.0f pauses %.0f ms max %.1f ms, yields %d,"
				+ " peaks %s, load %s", label(), this.idle.millis(99), this.idle.requests(), this.batchSeconds,
				this.batchFinished ? "" : " (not finished)", this.batch.millis(50), this.batch.millis(99),
				this.batch.maxMillis(), this.batch.requests(), this.batch.errors(), this.batchPoolTimeouts, gc[0], gc[1],
				gc[2], this.batchYields, this.batchPeaks, this.loadAfter);
	}

	/**
	 * A window of a round: the idle baseline before the batch, the batch, the idle window after
	 * it (which shows whether the app or the machine drifted while the round ran).
	 */
	enum Phase {

		IDLE("idle baseline"), BATCH("during batch"), AFTER("idle after batch");

		final String label;

		Phase(String label) {
			this.label = label;
		}

	}

}
