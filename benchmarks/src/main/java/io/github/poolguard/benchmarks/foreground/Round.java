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

	Map<Integer, Double> perSecondP99;

	double[] gcPauses;

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
		return String.format("%s: idle p99 %.1f ms (%d req), batch %.1f s, during batch p50 %.1f p99 %.1f max %.1f ms"
				+ " (%d req, %d errors, %d pool timeouts), peaks %s, load %s", label(), this.idle.millis(99),
				this.idle.requests(), this.batchSeconds, this.batch.millis(50), this.batch.millis(99),
				this.batch.maxMillis(), this.batch.requests(), this.batch.errors(), this.batchPoolTimeouts,
				this.batchPeaks, this.loadAfter);
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
