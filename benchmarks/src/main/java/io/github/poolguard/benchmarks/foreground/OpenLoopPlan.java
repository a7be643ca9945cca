package io.github.poolguard.benchmarks.foreground;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A constant arrival rate, either given or set to a fraction of the capacity a short closed-loop
 * probe measures in the first round (after its warm-up, so in that round's configuration).
 */
final class OpenLoopPlan implements LoadPlan {

	private final double fraction;

	private final int probeClients;

	private final Duration probe;

	private final int maxInFlight;

	private double rate;

	private double capacity = Double.NaN;

	private String probedIn;

	private PhaseStats probeStats;

	/**
	 * Create a plan.
	 * @param rate requests per second, or 0 to measure the capacity and take a fraction of it
	 * @param fraction the share of the measured capacity
	 * @param probeClients closed-loop clients of the probe
	 * @param probe how long the probe runs
	 * @param maxInFlight the cap on requests in flight
	 */
	OpenLoopPlan(double rate, double fraction, int probeClients, Duration probe, int maxInFlight) {
		this.rate = rate;
		this.fraction = fraction;
		this.probeClients = probeClients;
		this.probe = probe;
		this.maxInFlight = maxInFlight;
	}

	@Override
	public void calibrate(Round round, ReadApiMix mix) throws InterruptedException {
		if (this.rate > 0) {
			return;
		}
		Load load = new ClosedLoopLoad(mix, this.probeClients);
		long start = System.nanoTime();
		load.start();
		Thread.sleep(this.probe.toMillis());
		List<Load.Sample> samples = load.stop();
		this.probeStats = PhaseStats.of(samples, start, start + this.probe.toNanos());
		this.capacity = this.probeStats.outcomes.get(Load.Outcome.OK) / this.probeStats.seconds;
		this.rate = Math.max(1, Math.round(this.capacity * this.fraction));
		this.probedIn = round.label();
		System.out.printf(Locale.ROOT, "Capacity probe in %s: %.0f req/s (p99 %.1f ms, %d errors); open-loop rate %.0f req/s%n",
				this.probedIn, this.capacity, this.probeStats.millis(99), this.probeStats.errors(), this.rate);
	}

	@Override
	public Load create(ReadApiMix mix) {
		if (this.rate <= 0) {
			throw new IllegalStateException("No rate: calibrate first");
		}
		return new OpenLoopLoad(mix, this.rate, this.maxInFlight);
	}

	@Override
	public String describe() {
		if (Double.isNaN(this.capacity)) {
			return String.format(Locale.ROOT, "open loop at %.0f req/s (given)", this.rate);
		}
		return String.format(Locale.ROOT, "open loop at %.0f req/s (%.0f %% of the %,.0f req/s a %d s probe of %d"
				+ " closed-loop clients measured in %s)", this.rate, this.fraction * 100, this.capacity,
				this.probe.toSeconds(), this.probeClients, this.probedIn);
	}

	@Override
	public String jsonMembers() {
		StringBuilder json = new StringBuilder(String.format(Locale.ROOT, "  \"openLoopRate\": %.1f,%n", this.rate));
		if (!Double.isNaN(this.capacity)) {
			json.append(String.format(Locale.ROOT, "  \"probe\": {\"round\": \"%s\", \"clients\": %d, \"seconds\": %d,"
					+ " \"capacityReqPerSecond\": %.1f, \"fraction\": %.2f, \"p50Ms\": %.2f, \"p99Ms\": %.2f, \"errors\": %d},%n",
					this.probedIn, this.probeClients, this.probe.toSeconds(), this.capacity, this.fraction,
					this.probeStats.millis(50), this.probeStats.millis(99), this.probeStats.errors()));
		}
		json.append(String.format(Locale.ROOT, "  \"maxInFlight\": %d,%n", this.maxInFlight));
		return json.toString();
	}

}
