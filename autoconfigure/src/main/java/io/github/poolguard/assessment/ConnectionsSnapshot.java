package io.github.poolguard.assessment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.poolguard.monitor.PoolStats;
import io.github.poolguard.monitor.PressureLevel;
import org.jspecify.annotations.Nullable;

/**
 * One immutable judgement of the application's connections, made by
 * {@link ConnectionsAssessment} from the latest readings. Health, the {@code db} indicator and
 * the endpoint show it; none of them judges a reading again.
 *
 * @param status the verdict
 * @param reason why the verdict is {@link ConnectionsStatus#DOWN}, or {@code null}
 * @param busy the server's answer when it was too busy to answer the monitor (reachable, and a
 * {@link ConnectionsStatus#WARNING}), or {@code null}
 * @param warnings plain sentences, one per warning
 * @param level the server's pressure level (NORMAL, WARNING or CRITICAL), with hysteresis
 * @param checkedAt when the monitor's reading behind this snapshot was taken
 * @param server the monitor's latest sample of the server ({@code maxConnections},
 * {@code superuserReservedConnections}, {@code reservedConnections}, {@code usable},
 * {@code inUse}, {@code usage}, {@code byState}, {@code byApplication},
 * {@code idleInTransaction}, {@code oldestIdleInTransaction}, {@code superuser},
 * {@code sampledAt}), or {@code null} before the first sample
 * @param app the app pool's counts
 * @param background the background pool's counts
 * @param budget the budget checked at startup ({@code usable}, {@code perInstance},
 * {@code instances}, {@code demand}, {@code overcommitted}, {@code arithmetic}), or
 * {@code null}
 * @param monitorOff why the server monitor is off, or {@code null} when it runs
 * @param fleet the instances seen on the server and their combined demand, or {@code null}
 * @param pgbouncer PgBouncer's pools from its admin console, or {@code null}
 * @param otherPools the application's other connection pools by bean name: the counts of a
 * HikariCP pool, the type of any other
 * @param experience what the application feels (its latency and GC pauses against their
 * baselines, and whether batch work holds back for it), or {@code null} without a reading
 * @param replicas the streaming replicas' lag by replica name, and the limit batch work holds
 * at, or {@code null} without replicas
 */
public record ConnectionsSnapshot(ConnectionsStatus status, @Nullable String reason, @Nullable String busy,
		List<String> warnings, PressureLevel level, Instant checkedAt, @Nullable Map<String, Object> server,
		PoolStats app, PoolStats background, @Nullable Map<String, Object> budget, @Nullable String monitorOff,
		@Nullable Map<String, Object> fleet,
		@Nullable Map<String, Object> pgbouncer, Map<String, Map<String, Object>> otherPools,
		@Nullable Map<String, Object> experience, @Nullable Map<String, Object> replicas) {

	/**
	 * Create a snapshot without replicas.
	 * @param status the verdict
	 * @param reason why the verdict is DOWN, or {@code null}
	 * @param busy the server's answer when it was too busy, or {@code null}
	 * @param warnings plain sentences
	 * @param level the server's pressure level
	 * @param checkedAt when the reading was taken
	 * @param server the server sample's details, or {@code null}
	 * @param app the app pool's counts
	 * @param background the background pool's counts
	 * @param budget the budget's details, or {@code null}
	 * @param monitorOff why the monitor is off, or {@code null}
	 * @param fleet the fleet's details, or {@code null}
	 * @param pgbouncer PgBouncer's pools, or {@code null}
	 * @param otherPools the other pools by bean name
	 * @param experience what the application feels, or {@code null}
	 */
	public ConnectionsSnapshot(ConnectionsStatus status, @Nullable String reason, @Nullable String busy,
			List<String> warnings, PressureLevel level, Instant checkedAt, @Nullable Map<String, Object> server,
			PoolStats app, PoolStats background, @Nullable Map<String, Object> budget, @Nullable String monitorOff,
			@Nullable Map<String, Object> fleet, @Nullable Map<String, Object> pgbouncer,
			Map<String, Map<String, Object>> otherPools, @Nullable Map<String, Object> experience) {
		this(status, reason, busy, warnings, level, checkedAt, server, app, background, budget, monitorOff, fleet,
				pgbouncer, otherPools, experience, null);
	}

	/**
	 * Return whether this instance reaches its server: anything but {@link ConnectionsStatus#DOWN}.
	 * @return {@code true} when reachable
	 */
	public boolean isReachable() {
		return this.status != ConnectionsStatus.DOWN;
	}

	/**
	 * Return the snapshot as ordered details: {@code reason} (when down), {@code level}
	 * (NORMAL, WARNING or CRITICAL), {@code server}, {@code pools}, {@code budget},
	 * {@code fleet}, {@code pgbouncer}, {@code replicas}, {@code experience}, {@code warnings}. Never holds a credential.
	 * @return the details
	 */
	public Map<String, Object> toDetails() {
		Map<String, Object> details = new LinkedHashMap<>();
		if (this.reason != null) {
			details.put("reason", this.reason);
		}
		if (this.monitorOff != null) {
			details.put("monitor", "off: " + this.monitorOff);
		}
		if (this.server != null && this.monitorOff == null) {
			details.put("level", this.level.name());
			details.put("server", new LinkedHashMap<>(this.server));
		}
		Map<String, Object> pools = new LinkedHashMap<>();
		pools.put("app", this.app.toMap());
		pools.put("background", this.background.toMap());
		this.otherPools.forEach(pools::putIfAbsent);
		details.put("pools", pools);
		if (this.budget != null) {
			details.put("budget", new LinkedHashMap<>(this.budget));
		}
		if (this.fleet != null && this.monitorOff == null) {
			details.put("fleet", this.fleet);
		}
		if (this.pgbouncer != null) {
			details.put("pgbouncer", this.pgbouncer);
		}
		if (this.replicas != null && this.monitorOff == null) {
			details.put("replicas", this.replicas);
		}
		if (this.experience != null) {
			details.put("experience", this.experience);
		}
		details.put("warnings", this.warnings);
		return details;
	}

}
