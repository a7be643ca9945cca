package io.github.poolguard.monitor;

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
import io.github.poolguard.budget.ConnectionBudget;
import io.github.poolguard.budget.PgBouncerBudget;
import io.github.poolguard.pgbouncer.PgBouncerConsole;
import io.github.poolguard.pgbouncer.PgBouncerPools;
import org.jspecify.annotations.Nullable;

/**
 * Puts the monitor's latest reading, both pools' counts and the budget together into a verdict
 * with plain-sentence warnings, as {@code /actuator/health/connections} and
 * {@code /actuator/poolguard} show them. Reads memory only: it never touches the server and
 * never borrows a connection.
 */
public class ConnectionsOverview {

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
	public ConnectionsOverview(ServerMonitor monitor, HikariDataSource appPool, HikariDataSource backgroundPool,
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
	 * Return the server monitor this overview reads.
	 * @return the monitor
	 */
	public ServerMonitor getMonitor() {
		return this.monitor;
	}

	/**
	 * Assess the application's connections now.
	 * @return the assessment
	 */
	public Assessment assess() {
		ServerReading reading = this.monitor.getReading();
		PoolStats app = PoolStats.of(this.appPool);
		PoolStats background = PoolStats.of(this.backgroundPool);
		Map<String, Map<String, Object>> others = otherPoolDetails();
		ConnectionBudget budget = this.budget.get();
		String off = this.monitor.getOffReason();
		if (off != null) {
			return new Assessment(ConnectionsStatus.UP, null, List.of(), reading, app, background, budget, off, null,
					null, others);
		}
		ServerSample sample = reading.sample();
		String reason = null;
		List<String> warnings = new ArrayList<>();
		Instant now = Instant.now();
		if (reading.isUnreachable()) {
			reason = reading.failure();
		}
		else if (reading.failure() != null) {
			warnings.add("The server is too busy to answer the monitor: " + reading.failure() + ".");
		}
		else if (!reading.isPending() && this.monitor.isStale(reading, now)) {
			reason = "the monitor has not sampled the server since " + reading.readAt() + " ("
					+ format(Duration.between(reading.readAt(), now)) + " ago)";
		}
		if (sample != null && reading.level() == PressureLevel.CRITICAL) {
			warnings.add(usageSentence(sample) + ", at or above the critical threshold "
					+ percent(this.monitor.getThresholds().critical()) + " (poolguard.health.critical-threshold): new"
					+ " connections will soon be refused with \"too many clients\".");
		}
		else if (sample != null && reading.level() == PressureLevel.WARNING) {
			warnings.add(usageSentence(sample) + ", at or above the warning threshold "
					+ percent(this.monitor.getThresholds().warning()) + " (poolguard.health.warning-threshold).");
		}
		if (reading.appPoolWaitingSamples() >= 2) {
			warnings.add(((app.pending() > 0) ? app.pending() + " thread(s) are" : "Threads are")
					+ " waiting for an app pool connection, and threads have been waiting for more than one sample ("
					+ format(this.monitor.getInterval()) + "): all " + app.max()
					+ " app pool connections are busy (spring.datasource.hikari.maximum-pool-size).");
		}
		if (sample != null && sample.oldestIdleInTransaction() != null && !this.appIdleInTransactionLimit.isZero()
				&& sample.oldestIdleInTransaction().compareTo(this.appIdleInTransactionLimit) > 0) {
			warnings.add("A session has been idle in a transaction for " + format(sample.oldestIdleInTransaction())
					+ ", longer than the app pool's limit of " + format(this.appIdleInTransactionLimit)
					+ " (poolguard.app.idle-in-transaction-timeout); it holds its locks and its connection slot ("
					+ sample.idleInTransaction() + " session(s) idle in transaction in all).");
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
		return new Assessment(status, reason, List.copyOf(warnings), reading, app, background, budget, null,
				fleet, pgbouncer, others);
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
		String arithmetic;
		boolean overcommitted;
		if (this.pgBouncerBudget != null) {
			PgBouncerBudget budget = this.pgBouncerBudget.withInstances(seen);
			fleet.put("demand", budget.demand());
			fleet.put("usable", budget.server().usable());
			arithmetic = budget.explain();
			overcommitted = budget.isOvercommitted();
		}
		else {
			ConnectionBudget budget = connectionBudget.withInstances(seen);
			fleet.put("perInstance", budget.perInstance());
			fleet.put("demand", budget.demand());
			fleet.put("usable", budget.usable());
			arithmetic = budget.explain();
			overcommitted = budget.isOvercommitted();
		}
		fleet.put("overcommitted", overcommitted);
		fleet.put("arithmetic", arithmetic);
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
						+ " connection, the oldest for " + format(pools.maxWait()) + ": all " + pools.serversActive()
						+ " of PgBouncer's server connections for this database are busy. Raise its pool_size if the"
						+ " server has room, or look for long transactions.");
			}
		}
		return details;
	}

	private static String usageSentence(ServerSample sample) {
		return sample.inUse() + " of " + sample.usable() + " usable server connections are in use ("
				+ percent(sample.usage()) + ")";
	}

	private static String percent(double share) {
		return Math.round(share * 100) + "%";
	}

	/**
	 * Format a duration for people: {@code 250ms}, {@code 42s}, {@code 7m 3s}, {@code 2h 5m}.
	 * @param duration the duration
	 * @return the text
	 */
	static String format(Duration duration) {
		if (duration.toMillis() < 1000) {
			return duration.toMillis() + "ms";
		}
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + "m" + ((seconds % 60 != 0) ? " " + (seconds % 60) + "s" : "");
		}
		return (seconds / 3600) + "h" + ((seconds % 3600 / 60 != 0) ? " " + (seconds % 3600 / 60) + "m" : "");
	}

	/**
	 * The verdict on the application's connections.
	 */
	public enum ConnectionsStatus {

		/**
		 * Below the warning threshold, nothing to warn about.
		 */
		UP,

		/**
		 * Still serving, but connection use needs attention: the warning or critical threshold
		 * (the level is in the details), app pool waiters, a long idle transaction, more
		 * instances than budgeted.
		 */
		WARNING,

		/**
		 * This instance cannot reach its server. A crowded server is never DOWN: it is a
		 * {@link #WARNING}, so that no load balancer takes every instance out at once.
		 */
		DOWN

	}

	/**
	 * One assessment of the application's connections.
	 *
	 * @param status the verdict
	 * @param reason why the verdict is {@link ConnectionsStatus#DOWN}, or {@code null}
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
	 */
	public record Assessment(ConnectionsStatus status, @Nullable String reason, List<String> warnings,
			ServerReading reading, PoolStats app, PoolStats background, @Nullable ConnectionBudget budget,
			@Nullable String monitorOff, @Nullable Map<String, Object> fleet, @Nullable Map<String, Object> pgbouncer,
			Map<String, Map<String, Object>> otherPools) {

		/**
		 * Create an assessment without fleet or PgBouncer details.
		 * @param status the verdict
		 * @param reason why the verdict is down, or {@code null}
		 * @param warnings plain sentences
		 * @param reading the monitor's reading
		 * @param app the app pool's counts
		 * @param background the background pool's counts
		 * @param budget the budget, or {@code null}
		 * @param monitorOff why the monitor is off, or {@code null}
		 */
		public Assessment(ConnectionsStatus status, @Nullable String reason, List<String> warnings,
				ServerReading reading, PoolStats app, PoolStats background, @Nullable ConnectionBudget budget,
				@Nullable String monitorOff) {
			this(status, reason, warnings, reading, app, background, budget, monitorOff, null, null, Map.of());
		}

		/**
		 * Return the assessment as ordered details: {@code reason} (when down), {@code level}
		 * (NORMAL, WARNING or CRITICAL), {@code server},
		 * {@code pools}, {@code budget}, {@code warnings}. Never holds a credential.
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

}
