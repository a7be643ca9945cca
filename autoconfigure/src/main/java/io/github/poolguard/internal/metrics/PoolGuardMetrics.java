package io.github.poolguard.internal.metrics;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.monitor.ServerSample;
import io.github.poolguard.routing.Workload;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds PoolGuard's meters: {@code poolguard.server.connections} (tag {@code state}, a fixed
 * set), {@code poolguard.server.connections.max}, {@code poolguard.server.usage},
 * {@code poolguard.connections.held.max}, {@code poolguard.connections.held} (tags
 * {@code workload} and {@code scheduled}: which pool served scheduled work) and
 * {@code poolguard.connections.leaks}. Every value
 * is read from memory: the monitor's latest sample and the holder tracker.
 */
public class PoolGuardMetrics implements MeterBinder {

	/**
	 * The values of the {@code state} tag: PostgreSQL's session states, and {@code unknown} for
	 * sessions of other roles whose state this role may not see.
	 */
	public static final List<String> STATES = List.of("active", "idle", "idle in transaction",
			"idle in transaction (aborted)", "fastpath function call", "disabled", "unknown");

	private final @Nullable ServerMonitor monitor;

	private final @Nullable ConnectionHolders holders;

	/**
	 * Create the binder.
	 * @param monitor the server monitor, or {@code null} when it does not run
	 * @param holders the holder tracker, or {@code null} when holders are not tracked
	 */
	public PoolGuardMetrics(@Nullable ServerMonitor monitor, @Nullable ConnectionHolders holders) {
		this.monitor = monitor;
		this.holders = holders;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ServerMonitor monitor = this.monitor;
		if (monitor != null) {
			for (String state : STATES) {
				Gauge.builder("poolguard.server.connections", monitor,
						sampled((sample) -> sample.byState().getOrDefault(state, 0)))
					.tag("state", state)
					.description("Client connections on the server by state, from the latest sample")
					.baseUnit("connections")
					.register(registry);
			}
			Gauge.builder("poolguard.server.connections.max", monitor, sampled(ServerSample::maxConnections))
				.description("The server's max_connections")
				.register(registry);
			Gauge.builder("poolguard.server.usage", monitor, sampled(ServerSample::usage))
				.description("Share of the server's usable connections in use")
				.register(registry);
			Gauge.builder("poolguard.fleet.instances", monitor, sampled((sample) -> sample.instances().size()))
				.description("Instances of this application connected to the server (one monitor connection each)")
				.register(registry);
		}
		ConnectionHolders holders = this.holders;
		if (holders != null) {
			Gauge.builder("poolguard.connections.held.max", holders, (h) -> h.getLongestHeld().toNanos() / 1e9)
				.description("How long the longest-held borrowed connection has been held")
				.baseUnit("seconds")
				.register(registry);
			for (Workload workload : Workload.values()) {
				for (boolean scheduled : new boolean[] { true, false }) {
					Gauge.builder("poolguard.connections.held", holders, (h) -> h.countHeld(workload, scheduled))
						.tag("workload", workload.name().toLowerCase(Locale.ROOT))
						.tag("scheduled", Boolean.toString(scheduled))
						.description("Connections held now, by the workload that chose the pool and whether the"
								+ " holder runs scheduled work")
						.baseUnit("connections")
						.register(registry);
				}
			}
			FunctionCounter.builder("poolguard.connections.leaks", holders, ConnectionHolders::getLeakCount)
				.description("Connections reported as held longer than poolguard.leak.threshold")
				.register(registry);
		}
	}

	private static ToDoubleFunction<ServerMonitor> sampled(ToDoubleFunction<ServerSample> value) {
		return (monitor) -> {
			ServerSample sample = monitor.getReading().sample();
			return (sample != null) ? value.applyAsDouble(sample) : Double.NaN;
		};
	}

}
