package io.github.poolguard.benchmarks.foreground;

/**
 * Suite 1, the headline under saturation: the sample app's read API under a fixed closed-loop
 * load ({@code bench.clients}, 32) while a full fetch of the universe runs, naive against
 * guarded by default ({@code bench.configurations}), alternated (see {@link UnderBatchSuite} for
 * the rounds and the other parameters). Writes {@code foreground-under-batch.json}, {@code .md},
 * {@code .png} and {@code -per-second.png} to the results directory.
 * <p>
 * Arguments: {@code [resultsDir] [sampleJar]}.
 */
public final class ForegroundUnderBatchScenario {

	private ForegroundUnderBatchScenario() {
	}

	public static void main(String[] args) throws Exception {
		UnderBatchSuite.run(args, "foreground-under-batch", LoadPlan.closedLoop(UnderBatchSuite.CLIENTS),
				"naive,guarded");
	}

}
