package io.github.poolguard.internal.monitor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.poolguard.internal.text.Formats;
import org.jspecify.annotations.Nullable;

/**
 * One streaming replica's lag behind the primary, as {@code pg_stat_replication} shows it to
 * the monitor.
 *
 * @param name the replica's {@code application_name}, or its {@code client_addr} when it has none
 * @param clientAddress the replica's {@code client_addr}, or {@code null} (a Unix socket, or
 * hidden from a role without {@code pg_monitor})
 * @param writeLag {@code write_lag}, or {@code null}
 * @param flushLag {@code flush_lag}, or {@code null}
 * @param replayLag {@code replay_lag}, or {@code null} (caught up and idle, or hidden)
 * @param bytesBehind WAL bytes between the primary's current position and the replica's replay
 * position, or {@code null} when hidden
 * @param replayStalledFor how long the replay position has stood still while WAL was waiting
 * to be replayed (a paused or stuck replay, whose time lag no longer moves), or {@code null}
 * @param visible whether the monitor's role may read the lag columns ({@code pg_monitor})
 */
public record ReplicaLag(String name, @Nullable String clientAddress, @Nullable Duration writeLag,
		@Nullable Duration flushLag, @Nullable Duration replayLag, @Nullable Long bytesBehind,
		@Nullable Duration replayStalledFor, boolean visible) {

	/**
	 * Return the lag batch work paces on: the greatest of the time lags and of how long replay
	 * has stood still behind the primary. A replica whose replay stopped shows its last measured
	 * time lag (or none), which no longer grows: the time its replay position has stood still
	 * while WAL waits is how stale its reads are getting.
	 * @return the lag, or {@code null} when none can be read
	 */
	public @Nullable Duration lag() {
		Duration lag = null;
		for (Duration candidate : new Duration[] { this.writeLag, this.flushLag, this.replayLag,
				this.replayStalledFor }) {
			if (candidate != null && (lag == null || candidate.compareTo(lag) > 0)) {
				lag = candidate;
			}
		}
		return lag;
	}

	/**
	 * Return how the replica is named in sentences: its {@code application_name} and, when
	 * known and different, its address.
	 * @return the description
	 */
	public String describe() {
		return (this.clientAddress != null && !this.clientAddress.equals(this.name))
				? "'" + this.name + "' (" + this.clientAddress + ")" : "'" + this.name + "'";
	}

	/**
	 * Return the replica as health details.
	 * @return the details, without {@code null} values
	 */
	public Map<String, Object> toDetails() {
		Map<String, Object> details = new LinkedHashMap<>();
		if (this.clientAddress != null) {
			details.put("clientAddr", this.clientAddress);
		}
		if (!this.visible) {
			details.put("lag", "unknown: the monitor's role is not a member of pg_monitor");
			return details;
		}
		Duration lag = lag();
		details.put("lag", (lag != null) ? Formats.duration(lag) : "none");
		put(details, "writeLag", this.writeLag);
		put(details, "flushLag", this.flushLag);
		put(details, "replayLag", this.replayLag);
		if (this.bytesBehind != null) {
			details.put("bytesBehind", this.bytesBehind);
		}
		put(details, "replayStalledFor", this.replayStalledFor);
		return details;
	}

	private static void put(Map<String, Object> details, String key, @Nullable Duration value) {
		if (value != null) {
			details.put(key, Formats.duration(value));
		}
	}

}
