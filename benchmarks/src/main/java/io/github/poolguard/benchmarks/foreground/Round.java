package io.github.poolguard.benchmarks.foreground;

import java.util.Map;

/**
 * One round: one configuration in one fresh JVM.
 */
final class Round {

	final String configuration;

	final int number;

	double seedSeconds = Double.NaN;

	PhaseStats idle;

	PhaseStats batch;

	double idleAppCpu;

	double idleMachineCpu;

	double batchAppCpu;

	double batchMachineCpu;

	Map<String, Integer> idlePeaks;

	Map<String, Integer> batchPeaks;

	Map<String, Integer> batchIdleInTransactionPeaks;

	long idlePoolTimeouts;

	long batchPoolTimeouts;

	boolean batchFinished;

	String batchFinalState;

	String batchSummary;

	long yieldLogLines;

	double batchSeconds;

	Map<Integer, Double> perSecondP99;

	double[] gcPauses;

	String loadBefore;

	String loadAfter;

	Round(String configuration, int number) {
		this.configuration = configuration;
		this.number = number;
	}

	String label() {
		return this.configuration + " #" + this.number;
	}

	String summary() {
		return String.format("%s: idle p99 %.1f ms (%d req), batch %.1f s, during batch p50 %.1f p99 %.1f max %.1f ms"
				+ " (%d req, %d errors, %d pool timeouts), peaks %s, load %s", label(), this.idle.millis(99),
				this.idle.requests(), this.batchSeconds, this.batch.millis(50), this.batch.millis(99),
				this.batch.maxMillis(), this.batch.requests(), this.batch.errors(), this.batchPoolTimeouts,
				this.batchPeaks, this.loadAfter);
	}

}
