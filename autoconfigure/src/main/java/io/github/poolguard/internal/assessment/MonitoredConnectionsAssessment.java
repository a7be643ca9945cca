package io.github.poolguard.internal.assessment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.assessment.ConnectionsSnapshot;
import io.github.poolguard.assessment.ConnectionsStatus;
import io.github.poolguard.internal.budget.ConnectionBudget;
import io.github.poolguard.internal.budget.PgBouncerBudget;
import io.github.poolguard.internal.budget.ServerBudget;
import io.github.poolguard.internal.fleet.FleetShare;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.monitor.ServerReading;
import io.github.poolguard.internal.monitor.ServerSample;
import io.github.poolguard.internal.pgbouncer.PgBouncerConsole;
import io.github.poolguard.internal.pgbouncer.PgBouncerPools;
import io.github.poolguard.internal.text.Formats;
import io.github.poolguard.monitor.PoolStats;
import io.github.poolguard.monitor.PressureLevel;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ConnectionsAssessment} the auto-configuration supplies: combines the monitor's
 * latest reading, both pools' counts, PgBouncer's pools and the budget into one
 * {@link ConnectionsSnapshot}: the verdict with plain-sentence warnings, as
 * {@code /actuator/health/connections}, the {@code db} indicator and {@code /actuator/poolguard}
 * show it. The only place where readings are judged. Reads memory only: it never touches the
 * server and never borrows a connection.
 */
public class MonitoredConnectionsAssessment implements ConnectionsAssessment {

	/**
	 * How long a client may wait in PgBouncer before it is worth a warning.
	 */
	static final Duration PGBOUNCER_WAIT_WARNING = Duration.ofSeconds(1);

	private final ServerMonitor monitor;

	private final HikariDataSource appPool;

	private final HikariDataSource backgroundPool;

	private final Supplier<@Nullable ConnectionBudget> budget;

	private final Duration appIdleInTransactionLimit;

	private final @Nullable PgBouncerBudget pgBouncerBudget;

	private final @Nullable PgBouncerConsole pgBouncerConsole;

	private final Supplier<Map<String, DataSource>> otherPools;

	private volatile Supplier<@Nullable FleetShare> fleetShare = () -> null;

	private volatile Supplier<@Nullable Map<String, Object>> experience = () -> null;

	private volatile Supplier<@Nullable Map<String, Object>> replicas = () -> null;

	/**
	 * Create an overview of PoolGuard's pools and the application's other connection pools.
	 * @param monitor the server monitor
	 * @param appPool the app pool
	 * @param backgroundPool the background pool
	 * @param budget supplies the budget checked at startup, or {@code null} before the check
	 * and when there is none
	 * @param appIdleInTransactionLimit the app pool's idle-in-transaction limit; zero for none
	 * @param pgBouncerBudget the budget behind a transaction-pooling PgBouncer, or {@code null}
	 * @param pgBouncerConsole reads PgBouncer's admin console, or {@code null}
	 * @param otherPools supplies the other connection pools by bean name
	 */
	public MonitoredConnectionsAssessment(ServerMonitor monitor, HikariDataSource appPool, HikariDataSource backgroundPool,
			Supplier<@Nullable ConnectionBudget> budget, Duration appIdleInTransactionLimit,
			@Nullable PgBouncerBudget pgBouncerBudget, @Nullable PgBouncerConsole pgBouncerConsole,
			Supplier<Map<String, DataSource>> otherPools) {
		this.monitor = monitor;
		this.appPool = appPool;
		this.backgroundPool = backgroundPool;
		this.budget = budget;
		this.otherPools = otherPools;
		this.appIdleInTransactionLimit = appIdleInTransactionLimit;
		this.pgBouncerBudget = pgBouncerBudget;
		this.pgBouncerConsole = pgBouncerConsole;
	}

	/**
	 * Show this instance's share of the server while the fleet shares it
	 * ({@code poolguard.fleet.sharing}): in the fleet details, and instead of advice to lower
	 * the pools when the instances' configured sizes do not fit.
	 * @param fleetShare supplies the latest share, or {@code null} while there is none
	 */
	public void showShare(Supplier<@Nullable FleetShare> fleetShare) {
		this.fleetShare = fleetShare;
	}

	/**
	 * Show what the application feels next to its connections: the app-experience reading and
	 * whether batch work holds back for it.
	 * @param experience supplies the latest details, or {@code null} while there is no reading
	 */
	public void showExperience(Supplier<@Nullable Map<String, Object>> experience) {
		this.experience = experience;
	}

	/**
	 * Show the streaming replicas' lag, read on the monitor's connection.
	 * @param replicas supplies the latest details, or {@code null} without replicas
	 */
	public void showReplicas(Supplier<@Nullable Map<String, Object>> replicas) {
		this.replicas = replicas;
	}

	@Override
	public ConnectionsSnapshot assess() {
		ServerReading reading = this.monitor.getReading();
		PoolStats app = PoolStats.of(this.appPool);
		PoolStats background = PoolStats.of(this.backgroundPool);
		Map<String, Map<String, Object>> others = otherPoolDetails();
		ConnectionBudget budget = this.budget.get();
		String off = this.monitor.getOffReason();
		if (off != null) {
			return new ConnectionsSnapshot(ConnectionsStatus.UP, null, null, List.of(), reading.level(),
					reading.readAt(), serverDetails(reading.sample()), app, background, budgetDetails(budget), off, null,
					null, others, this.experience.get());
		}
		ServerSample sample = reading.sample();
		String reason = null;
		String busy = null;
		List<String> warnings = new ArrayList<>();
		Instant now = Instant.now();
		if (reading.isUnreachable()) {
			reason = reading.failure();
		}
		else if (reading.failure() != null) {
			busy = reading.failure();
			warnings.add("The server is too busy to answer the monitor: " + reading.failure() + ".");
		}
		else if (!reading.isPending() && this.monitor.isStale(reading, now)) {
			reason = "the monitor has not sampled the server since " + reading.readAt() + " ("
					+ Formats.duration(Duration.between(reading.readAt(), now)) + " ago)";
		}
		if (sample != null && reading.level() == PressureLevel.CRITICAL) {
			warnings.add(usageSentence(sample) + ", at or above the critical threshold "
					+ Formats.percent(this.monitor.getThresholds().critical()) + " (poolguard.health.critical-threshold): new"
					+ " connections will soon be refused with \"too many clients\".");
		}
		else if (sample != null && reading.level() == PressureLevel.WARNING) {
			warnings.add(usageSentence(sample) + ", at or above the warning threshold "
					+ Formats.percent(this.monitor.getThresholds().warning()) + " (poolguard.health.warning-threshold).");
		}
		if (reading.appPoolWaitingSamples() >= 2) {
			warnings.add(((app.pending() > 0) ? app.pending() + " thread(s) are" : "Threads are")
					+ " waiting for an app pool connection, and threads have been waiting for more than one sample ("
					+ Formats.duration(this.monitor.getInterval()) + "): all " + app.max()
					+ " app pool connections are busy (spring.datasource.hikari.maximum-pool-size).");
		}
		if (sample != null && sample.oldestIdleInTransaction() != null && !this.appIdleInTransactionLimit.isZero()
				&& sample.oldestIdleInTransaction().compareTo(this.appIdleInTransactionLimit) > 0) {
			warnings.add("A session has been idle in a transaction for " + Formats.duration(sample.oldestIdleInTransaction())
					+ ", longer than the app pool's limit of " + Formats.duration(this.appIdleInTransactionLimit)
					+ " (poolguard.app.idle-in-transaction-timeout); it holds its locks and its connection slot ("
					+ sample.idleInTransaction() + " session(s) idle in transaction in all).");
		}
		if (reading.backgroundPoolWaitingSamples() >= 2) {
			warnings.add(backgroundWaitersSentence(background, reading.backgroundPoolWaiters()));
		}
		Map<String, Object> fleet = (sample != null && budget != null) ? fleet(budget, sample, warnings) : null;
		Map<String, Object> pgbouncer = pgbouncer(warnings);
		ConnectionsStatus status = (reason != null) ? ConnectionsStatus.DOWN
				: warnings.isEmpty() ? ConnectionsStatus.UP : ConnectionsStatus.WARNING;
		// a property of the login, not of the moment: reported, but it never changes the status
		if (sample != null && sample.superuser()) {
			warnings.add("PoolGuard connects as a superuser role, which bypasses reserved connections and every"
					+ " permission. Connect as a login role with only the privileges the application needs.");
		}
		return new ConnectionsSnapshot(status, reason, busy, List.copyOf(warnings), reading.level(), reading.readAt(),
				serverDetails(sample), app, background, budgetDetails(budget), null, fleet, pgbouncer, others,
				this.experience.get(), this.replicas.get());
	}

	private static @Nullable Map<String, Object> serverDetails(@Nullable ServerSample sample) {
		if (sample == null) {
			return null;
		}
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

	private static @Nullable Map<String, Object> budgetDetails(@Nullable ConnectionBudget budget) {
		if (budget == null) {
			return null;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("usable", budget.usable());
		details.put("perInstance", budget.perInstance());
		details.put("instances", budget.instances());
		details.put("demand", budget.demand());
		details.put("overcommitted", budget.isOvercommitted());
		details.put("arithmetic", budget.explain());
		return details;
	}

	private Map<String, Map<String, Object>> otherPoolDetails() {
		Map<String, Map<String, Object>> details = new LinkedHashMap<>();
		this.otherPools.get().forEach((name, pool) -> {
			if (pool instanceof HikariDataSource hikari) {
				details.put(name, PoolStats.of(hikari).toMap());
			}
			else {
				details.put(name, Map.of("type", pool.getClass().getSimpleName()));
			}
		});
		return details;
	}

	// Fleet demand = the instances seen on the server × one instance's maximum, against the
	// usable connections; behind a transaction-pooling PgBouncer, its pool plus one monitor
	// per instance.
	private @Nullable Map<String, Object> fleet(ConnectionBudget connectionBudget, ServerSample sample,
			List<String> warnings) {
		int seen = Math.max(1, sample.instances().size());
		Map<String, Object> fleet = new LinkedHashMap<>();
		fleet.put("instances", sample.instances().size());
		fleet.put("ids", sample.instances());
		fleet.put("expected", connectionBudget.instances());
		ServerBudget budget = ((this.pgBouncerBudget != null) ? this.pgBouncerBudget : connectionBudget)
			.withInstances(seen);
		if (budget instanceof ConnectionBudget direct) {
			fleet.put("perInstance", direct.perInstance());
		}
		fleet.put("demand", budget.demand());
		fleet.put("usable", budget.usable());
		String arithmetic = budget.explain();
		boolean overcommitted = budget.isOvercommitted();
		fleet.put("overcommitted", overcommitted);
		fleet.put("arithmetic", arithmetic);
		FleetShare share = this.fleetShare.get();
		if (share != null) {
			// the configured sizes may not fit, but the pools are sized to the shares, which do
			overcommitted = false;
			Map<String, Object> shared = new LinkedHashMap<>();
			shared.put("app", share.app());
			shared.put("background", share.background());
			shared.put("inService", share.admitted());
			shared.put("arithmetic", share.arithmetic());
			fleet.put("share", shared);
			if (!share.admitted()) {
				warnings.add("This instance gets no share of the server's connections and is out of service until there"
						+ " is room: " + share.arithmetic() + " (poolguard.fleet.min-app-pool).");
			}
		}
		if (seen > connectionBudget.instances() || overcommitted) {
			warnings.add(fleetSentence(sample.instances(), connectionBudget.instances(), arithmetic, overcommitted,
					this.pgBouncerBudget != null));
		}
		return fleet;
	}

	/**
	 * Return the fleet warning: how many instances are connected against how many the budget was
	 * checked for, and what they may open together.
	 * @param ids the instance ids seen on the server
	 * @param expected {@code poolguard.budget.instances}
	 * @param arithmetic the budget arithmetic for the instances seen
	 * @param overcommitted whether the instances seen may open more than the server allows
	 * @param pgBouncer whether the pools go through a transaction-pooling PgBouncer
	 * @return the sentence
	 */
	public static String fleetSentence(List<String> ids, int expected, String arithmetic, boolean overcommitted,
			boolean pgBouncer) {
		int seen = Math.max(1, ids.size());
		String text = seen + " instances of this application are connected to the server " + ids
				+ ((seen > expected) ? ", more than the " + expected + " the budget was checked for"
						+ " (poolguard.budget.instances)" : "")
				+ ": " + arithmetic + ".";
		if (!overcommitted) {
			return text + " Set poolguard.budget.instances to the fleet's size so startup checks it.";
		}
		return text + " Together they may open more connections than the server allows; under full load it refuses"
				+ " connections (\"too many clients\"). " + (pgBouncer ? "Lower PgBouncer's pool_size for the database."
						: "Lower the pool sizes, put PgBouncer in front (poolguard.pgbouncer.mode=transaction), or"
								+ " raise max_connections; set poolguard.budget.instances to the fleet's size.");
	}

	private @Nullable Map<String, Object> pgbouncer(List<String> warnings) {
		if (this.pgBouncerConsole == null) {
			return null;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		PgBouncerPools pools = this.pgBouncerConsole.getPools();
		String failure = this.pgBouncerConsole.getFailure();
		if (failure != null) {
			details.put("failure", failure);
		}
		if (pools != null) {
			details.put("clientsActive", pools.clientsActive());
			details.put("clientsWaiting", pools.clientsWaiting());
			details.put("serversActive", pools.serversActive());
			details.put("serversIdle", pools.serversIdle());
			details.put("maxWait", pools.maxWait().toString());
			details.put("sampledAt", pools.sampledAt().toString());
			if (pools.clientsWaiting() > 0 && pools.maxWait().compareTo(PGBOUNCER_WAIT_WARNING) >= 0) {
				warnings.add(pools.clientsWaiting() + " client connection(s) wait in PgBouncer for a server"
						+ " connection, the oldest for " + Formats.duration(pools.maxWait()) + ": all " + pools.serversActive()
						+ " of PgBouncer's server connections for this database are busy. Raise its pool_size if the"
						+ " server has room, or look for long transactions.");
			}
		}
		return details;
	}

	private static String usageSentence(ServerSample sample) {
		return sample.inUse() + " of " + sample.usable() + " usable server connections are in use ("
				+ Formats.percent(sample.usage()) + ")";
	}

	// Named with the pool's own name, so an operator sees which pool and which setting
	private String backgroundWaitersSentence(PoolStats background, int sampledWaiters) {
		String name = (this.backgroundPool.getPoolName() != null) ? this.backgroundPool.getPoolName() : "background";
		return Math.max(background.pending(), sampledWaiters) + " thread(s) are"
				+ " waiting for a connection of the background pool '" + name + "', and threads have been waiting for"
				+ " more than one sample (" + Formats.duration(this.monitor.getInterval()) + "): all "
				+ background.max() + " background connections are busy"
				+ " (poolguard.background.hikari.maximum-pool-size); background work queues behind them.";
	}

}
