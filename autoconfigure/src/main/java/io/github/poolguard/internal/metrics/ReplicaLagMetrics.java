package io.github.poolguard.internal.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.poolguard.internal.monitor.ReplicaLag;
import io.github.poolguard.internal.monitor.ReplicaLagReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * {@code poolguard.replica.lag}: each streaming replica's lag in seconds (tag {@code replica}),
 * as batch work paces on it; NaN while its role may not read it. A replica that leaves takes
 * its gauge with it; without replicas there is no gauge.
 */
public class ReplicaLagMetrics implements MeterBinder {

	private final ReplicaLagReader reader;

	private volatile @Nullable MultiGauge gauge;

	private volatile List<String> registered = List.of();

	/**
	 * Create the meters of the given reader.
	 * @param reader the reader
	 */
	public ReplicaLagMetrics(ReplicaLagReader reader) {
		this.reader = reader;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.gauge = MultiGauge.builder("poolguard.replica.lag")
			.description("A streaming replica's lag behind the primary, or how long its replay has stood still")
			.baseUnit("seconds")
			.register(registry);
		this.reader.addListener(this::update);
		update(this.reader.getReplicas());
	}

	private void update(List<ReplicaLag> replicas) {
		MultiGauge gauge = this.gauge;
		List<String> names = replicas.stream().map(ReplicaLag::name).toList();
		if (gauge == null || names.equals(this.registered)) {
			return;
		}
		this.registered = names;
		gauge.register(names.stream()
			.map((name) -> MultiGauge.Row.of(Tags.of("replica", name), this.reader, (reader) -> seconds(reader, name)))
			.toList(), true);
	}

	private static double seconds(ReplicaLagReader reader, String name) {
		return reader.getReplicas()
			.stream()
			.filter((replica) -> replica.name().equals(name))
			.map(ReplicaLag::lag)
			.filter(Objects::nonNull)
			.mapToDouble((lag) -> lag.toNanos() / 1e9)
			.findFirst()
			.orElse(Double.NaN);
	}

}
