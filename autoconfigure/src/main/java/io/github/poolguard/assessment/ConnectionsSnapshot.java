package io.github.poolguard.assessment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.poolguard.internal.budget.ConnectionBudget;
import io.github.poolguard.internal.monitor.ServerReading;
import io.github.poolguard.internal.monitor.ServerSample;
import io.github.poolguard.monitor.PoolStats;
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
 * @param reading the monitor's reading it was made from
 * @param app the app pool's counts
 * @param background the background pool's counts
 * @param budget the budget checked at startup, or {@code null}
 * @param monitorOff why the server monitor is off, or {@code null} when it runs
 * @param fleet the instances seen on the server and their combined demand, or {@code null}
 * @param pgbouncer PgBouncer's pools from its admin console, or {@code null}
 * @param otherPools the application's other connection pools by bean name: the counts of a
 * HikariCP pool, the type of any other
 * @param experience what the application feels (its latency and GC pauses against their
 * baselines, and whether batch work holds back for it), or {@code null} without a reading
 */
public record ConnectionsSnapshot(ConnectionsStatus status, @Nullable String reason, @Nullable String busy,
		List<String> warnings, ServerReading reading, PoolStats app, PoolStats background,
		@Nullable ConnectionBudget budget, @Nullable String monitorOff, @Nullable Map<String, Object> fleet,
		@Nullable Map<String, Object> pgbouncer, Map<String, Map<String, Object>> otherPools,
		@Nullable Map<String, Object> experience) {

	/**
	 * Return whether this instance reaches its server: anything but {@link ConnectionsStatus#DOWN}.
	 * @return {@code true} when reachable
	 */
	public boolean isReachable() {
		return this.status != ConnectionsStatus.DOWN;
	}

	/**
	 * Return when the reading behind this snapshot was taken.
	 * @return the time of the reading
	 */
	public Instant checkedAt() {
		return this.reading.readAt();
	}

	/**
	 * Return the snapshot as ordered details: {@code reason} (when down), {@code level}
	 * (NORMAL, WARNING or CRITICAL), {@code server}, {@code pools}, {@code budget},
	 * {@code fleet}, {@code pgbouncer}, {@code experience}, {@code warnings}. Never holds a credential.
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
		ServerSample sample = this.reading.sample();
		if (sample != null && this.monitorOff == null) {
			details.put("level", this.reading.level().name());
			details.put("server", serverDetails(sample));
		}
		Map<String, Object> pools = new LinkedHashMap<>();
		pools.put("app", this.app.toMap());
		pools.put("background", this.background.toMap());
		this.otherPools.forEach(pools::putIfAbsent);
		details.put("pools", pools);
		if (this.budget != null) {
			details.put("budget", budgetDetails(this.budget));
		}
		if (this.fleet != null && this.monitorOff == null) {
			details.put("fleet", this.fleet);
		}
		if (this.pgbouncer != null) {
			details.put("pgbouncer", this.pgbouncer);
		}
		if (this.experience != null) {
			details.put("experience", this.experience);
		}
		details.put("warnings", this.warnings);
		return details;
	}

	private static Map<String, Object> serverDetails(ServerSample sample) {
		Map<String, Object> server = new LinkedHashMap<>();
		server.put("maxConnections", sample.maxConnections());
		server.put("superuserReservedConnections", sample.superuserReservedConnections());
		if (sample.reservedConnections() != null) {
			server.put("reservedConnections", sample.reservedConnections());
		}
		server.put("usable", sample.usable());
		server.put("inUse", sample.inUse());
		server.put("usage", Math.round(sample.usage() * 1000) / 1000.0);
		server.put("byState", new TreeMap<>(sample.byState()));
		server.put("byApplication", sample.byApplication());
		server.put("idleInTransaction", sample.idleInTransaction());
		if (sample.oldestIdleInTransaction() != null) {
			server.put("oldestIdleInTransaction", sample.oldestIdleInTransaction().toString());
		}
		server.put("superuser", sample.superuser());
		server.put("sampledAt", sample.sampledAt().toString());
		return server;
	}

	private static Map<String, Object> budgetDetails(ConnectionBudget budget) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("usable", budget.usable());
		details.put("perInstance", budget.perInstance());
		details.put("instances", budget.instances());
		details.put("demand", budget.demand());
		details.put("overcommitted", budget.isOvercommitted());
		details.put("arithmetic", budget.explain());
		return details;
	}

}
