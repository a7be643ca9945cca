package io.github.poolguard.internal.assessment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.poolguard.internal.monitor.ReplicaLag;
import io.github.poolguard.internal.monitor.ReplicaLagReader;
import io.github.poolguard.internal.text.Formats;
import io.github.poolguard.pressure.PressureSource;
import org.jspecify.annotations.Nullable;

/**
 * Reports pressure while a streaming replica lags the primary by more than the limit
 * ({@code poolguard.batch.max-replica-lag}), naming the replica and its lag; none below it, and
 * none without replicas. Answers from the monitor's latest reading; never touches the server.
 */
public class ReplicaLagPressure implements PressureSource {

	private final Supplier<List<ReplicaLag>> replicas;

	private final Duration limit;

	/**
	 * Create a source.
	 * @param reader the reader of the replicas' lag
	 * @param limit the longest lag batch work tolerates; zero turns the source off
	 */
	public ReplicaLagPressure(ReplicaLagReader reader, Duration limit) {
		this(reader::getReplicas, limit);
	}

	ReplicaLagPressure(Supplier<List<ReplicaLag>> replicas, Duration limit) {
		this.replicas = replicas;
		this.limit = limit;
	}

	@Override
	public @Nullable String currentPressure() {
		if (this.limit.isZero()) {
			return null;
		}
		ReplicaLag worst = null;
		for (ReplicaLag replica : this.replicas.get()) {
			Duration lag = replica.lag();
			if (lag != null && lag.compareTo(this.limit) > 0 && (worst == null || lag.compareTo(worst.lag()) > 0)) {
				worst = replica;
			}
		}
		if (worst == null) {
			return null;
		}
		Duration lag = worst.lag();
		String how = (worst.replayStalledFor() != null && worst.replayStalledFor().equals(lag))
				? "has not replayed for " + Formats.duration(lag) + " with " + worst.bytesBehind()
						+ " bytes of WAL waiting"
				: "lags the primary by " + Formats.duration(lag);
		return "replica " + worst.describe() + " " + how + ", more than " + Formats.duration(this.limit)
				+ " (poolguard.batch.max-replica-lag)";
	}

	/**
	 * Return the replicas as health details: each one's lag by name, and the limit.
	 * @return the details, or {@code null} without replicas
	 */
	public @Nullable Map<String, Object> details() {
		List<ReplicaLag> replicas = this.replicas.get();
		if (replicas.isEmpty()) {
			return null;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		for (ReplicaLag replica : replicas) {
			details.put(replica.name(), replica.toDetails());
		}
		details.put("maxReplicaLag", this.limit.isZero() ? "off" : Formats.duration(this.limit));
		return details;
	}

}
