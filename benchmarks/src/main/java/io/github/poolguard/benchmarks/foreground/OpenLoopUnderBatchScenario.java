package io.github.poolguard.benchmarks.foreground;

import java.time.Duration;

/**
 * Suite 1b, the headline below saturation: the sample app's read API at a constant arrival rate
 * (open loop, latency from each request's scheduled time, see {@link OpenLoopLoad}) while a full
 * fetch of the universe runs, in each configuration of {@code bench.configurations} (default
 * {@value #CONFIGURATIONS}), alternated (see {@link UnderBatchSuite} for the rounds and the other
 * parameters). Does the guarded batch use the server's spare capacity while the API keeps its
 * latency, and what does each latency tolerance trade? Writes {@code open-loop-under-batch.json},
 * {@code .md}, {@code .png} (the trade-off curve) and {@code -per-second.png} to the results
 * directory.
 * <p>
 * Arguments: {@code [resultsDir] [sampleJar]}; system properties {@code bench.rate} (requests per
 * second; unset or 0: {@code bench.load-fraction} of the capacity a closed-loop probe of
 * {@code bench.clients} clients measures for {@code bench.probe} seconds in the first round, after
 * its warm-up), {@code bench.load-fraction} (0.5), {@code bench.probe} (10 s),
 * {@code bench.max-in-flight} (200 requests: as many as the sample's Tomcat has request threads).
 */
public final class OpenLoopUnderBatchScenario {

	/** The tolerance suite (issue 24): naive, fixed pacing, and adaptive at tolerances 1.1, 1.3, 2 and ∞. */
	static final String CONFIGURATIONS = "naive,fixed,adaptive-1.1,adaptive-1.2,adaptive-1.3,adaptive-2,adaptive-inf";

	private OpenLoopUnderBatchScenario() {
	}

	public static void main(String[] args) throws Exception {
		double rate = Double.parseDouble(System.getProperty("bench.rate", "0"));
		double fraction = Double.parseDouble(System.getProperty("bench.load-fraction", "0.5"));
		Duration probe = Duration.ofSeconds(Integer.getInteger("bench.probe", 10));
		int maxInFlight = Integer.getInteger("bench.max-in-flight", 200);
		UnderBatchSuite.run(args, "open-loop-under-batch",
				new OpenLoopPlan(rate, fraction, UnderBatchSuite.CLIENTS, probe, maxInFlight), CONFIGURATIONS);
	}

}
