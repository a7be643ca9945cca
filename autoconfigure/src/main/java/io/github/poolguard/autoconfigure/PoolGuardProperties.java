package io.github.poolguard.autoconfigure;

import java.time.Duration;

import io.github.poolguard.batch.PacingMode;
import io.github.poolguard.pgbouncer.PgBouncerMode;
import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Configuration properties for PoolGuard.
 */
@ConfigurationProperties("poolguard")
public class PoolGuardProperties {

	/**
	 * Whether PoolGuard governs the application's DataSource. When false, Spring Boot's own
	 * DataSource is used unchanged.
	 */
	private boolean enabled = true;

	/**
	 * Short id of this instance (process) of the application, the third part of every
	 * connection's application_name ("<app>:<pool>:<instance>") so the monitor can count the
	 * instances sharing the server. Letters, digits, '-', '_' and '.', at most 20 characters.
	 * Defaults to 6 random characters drawn once per process, used only when
	 * budget.instances is above 1 or pgbouncer.mode is not none; otherwise names stay
	 * "<app>:<pool>".
	 */
	private @Nullable String instanceId;

	private final Limits app = new Limits(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10));

	private final Background background = new Background();

	private final Budget budget = new Budget();

	private final Batch batch = new Batch();

	private final Guard guard = new Guard();

	private final Security security = new Security();

	private final Monitor monitor = new Monitor();

	private final Health health = new Health();

	private final Leak leak = new Leak();

	private final PgBouncer pgbouncer = new PgBouncer();

	private final Scheduling scheduling = new Scheduling();

	private final Fleet fleet = new Fleet();

	private final Console console = new Console();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(@Nullable String instanceId) {
		this.instanceId = instanceId;
	}

	public PgBouncer getPgbouncer() {
		return this.pgbouncer;
	}

	public Limits getApp() {
		return this.app;
	}

	public Background getBackground() {
		return this.background;
	}

	public Budget getBudget() {
		return this.budget;
	}

	public Batch getBatch() {
		return this.batch;
	}

	public Guard getGuard() {
		return this.guard;
	}

	public Security getSecurity() {
		return this.security;
	}

	public Monitor getMonitor() {
		return this.monitor;
	}

	public Health getHealth() {
		return this.health;
	}

	public Leak getLeak() {
		return this.leak;
	}

	public Fleet getFleet() {
		return this.fleet;
	}

	public Scheduling getScheduling() {
		return this.scheduling;
	}

	public Console getConsole() {
		return this.console;
	}

	static Duration requireNotNegative(Duration value, String what) {
		Assert.isTrue(!value.isNegative(), () -> what + " must not be negative (0 means no limit)");
		return value;
	}

	/**
	 * Server-side limits sent as startup options on every connection of a pool.
	 */
	public static class Limits {

		/**
		 * Longest a single statement may run before the server cancels it
		 * (statement_timeout). 0 means no limit.
		 */
		private Duration statementTimeout;

		/**
		 * Longest a session may sit idle inside an open transaction before the server ends it
		 * (idle_in_transaction_session_timeout). 0 means no limit.
		 */
		private Duration idleInTransactionTimeout;

		/**
		 * Longest a statement may wait for a lock (lock_timeout). 0 means no limit.
		 */
		private Duration lockTimeout;

		Limits(Duration statementTimeout, Duration idleInTransactionTimeout, Duration lockTimeout) {
			this.statementTimeout = statementTimeout;
			this.idleInTransactionTimeout = idleInTransactionTimeout;
			this.lockTimeout = lockTimeout;
		}

		public Duration getStatementTimeout() {
			return this.statementTimeout;
		}

		public void setStatementTimeout(Duration statementTimeout) {
			this.statementTimeout = requireNotNegative(statementTimeout, "statement-timeout");
		}

		public Duration getIdleInTransactionTimeout() {
			return this.idleInTransactionTimeout;
		}

		public void setIdleInTransactionTimeout(Duration idleInTransactionTimeout) {
			this.idleInTransactionTimeout = requireNotNegative(idleInTransactionTimeout,
					"idle-in-transaction-timeout");
		}

		public Duration getLockTimeout() {
			return this.lockTimeout;
		}

		public void setLockTimeout(Duration lockTimeout) {
			this.lockTimeout = requireNotNegative(lockTimeout, "lock-timeout");
		}

	}

	/**
	 * The background pool. Its HikariCP settings bind under poolguard.background.hikari.
	 */
	public static class Background extends Limits {

		/**
		 * URL of the background pool: jdbc:postgresql://... or a connection URI as Prisma and
		 * Heroku write it, postgres[ql]://user:password@host:port/db?connection_limit=3, whose
		 * credentials and pool parameters move to this pool's keys. Defaults to the app pool's
		 * actual URL (whatever Spring Boot or the application configured it with) when unset or
		 * blank.
		 */
		private @Nullable String url;

		/**
		 * Login user of the background pool. Defaults to the app pool's.
		 */
		private @Nullable String username;

		/**
		 * Login password of the background pool. Defaults to the app pool's.
		 */
		private @Nullable String password;

		Background() {
			super(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10));
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

	/**
	 * How instances of this application share the server's connections.
	 */
	public static class Fleet {

		/**
		 * Whether instances divide the server's usable connections among themselves and
		 * resize their running pools to their share as instances come and go (direct
		 * connections only; behind a transaction-pooling PgBouncer its pool is the budget).
		 * Off: the fleet is only reported.
		 */
		private boolean sharing = true;

		/**
		 * The smallest app pool an instance serves with. An instance the fleet cannot give this
		 * much (plus the background pool's floor, 1 or 2 where Spring Batch jobs are defined, and
		 * its monitor) runs its startup work on the smallest pools and then stays out of service
		 * until it can.
		 */
		private int minAppPool = 2;

		/**
		 * How long a starting instance waits for the running ones to give back its share
		 * before it starts with what is free.
		 */
		private Duration joinTimeout = Duration.ofSeconds(30);

		public boolean isSharing() {
			return this.sharing;
		}

		public void setSharing(boolean sharing) {
			this.sharing = sharing;
		}

		public int getMinAppPool() {
			return this.minAppPool;
		}

		public void setMinAppPool(int minAppPool) {
			Assert.isTrue(minAppPool >= 1, "min-app-pool must be at least 1");
			this.minAppPool = minAppPool;
		}

		public Duration getJoinTimeout() {
			return this.joinTimeout;
		}

		public void setJoinTimeout(Duration joinTimeout) {
			Assert.isTrue(!joinTimeout.isNegative(), "join-timeout must not be negative");
			this.joinTimeout = joinTimeout;
		}

	}

	/**
	 * The connection budget checked at startup.
	 */
	public static class Budget {

		/**
		 * How many instances of this application share the server; the budget is multiplied
		 * by it.
		 */
		private int instances = 1;

		/**
		 * Connections kept free for operators, migrations and other clients, on top of what
		 * the server itself reserves.
		 */
		private int reservedConnections = 3;

		/**
		 * What to do when the pools may open more connections than the server allows: fail
		 * startup, or log a warning and go on.
		 */
		private OnOvercommit onOvercommit = OnOvercommit.FAIL;

		/**
		 * How long startup keeps retrying, with progressive backoff, while the database cannot
		 * be reached. 0 tries once.
		 */
		private Duration waitForDatabase = Duration.ofSeconds(30);

		public int getInstances() {
			return this.instances;
		}

		public void setInstances(int instances) {
			Assert.isTrue(instances >= 1, "instances must be at least 1");
			this.instances = instances;
		}

		public int getReservedConnections() {
			return this.reservedConnections;
		}

		public void setReservedConnections(int reservedConnections) {
			Assert.isTrue(reservedConnections >= 0, "reserved-connections must not be negative");
			this.reservedConnections = reservedConnections;
		}

		public OnOvercommit getOnOvercommit() {
			return this.onOvercommit;
		}

		public void setOnOvercommit(OnOvercommit onOvercommit) {
			this.onOvercommit = onOvercommit;
		}

		public Duration getWaitForDatabase() {
			return this.waitForDatabase;
		}

		public void setWaitForDatabase(Duration waitForDatabase) {
			this.waitForDatabase = requireNotNegative(waitForDatabase, "wait-for-database");
		}

	}

	/**
	 * What to do when the connection budget is overcommitted.
	 */
	public enum OnOvercommit {

		/**
		 * Fail startup with the arithmetic.
		 */
		FAIL,

		/**
		 * Log the arithmetic as a warning and start anyway.
		 */
		WARN

	}

	/**
	 * The throttling executor for batch work.
	 */
	public static class Batch {

		/**
		 * How batch runs pace their work: adaptive (database steps limited to what the server
		 * and the app pool can spare, pauses between chunks shrinking while the app is
		 * unaffected) or fixed (chunk-size items, wait for all of them, delay-between-chunks,
		 * exactly).
		 */
		private PacingMode pacing = PacingMode.ADAPTIVE;

		/**
		 * Most batch items in flight at once (network calls and parsing included), across all
		 * runs and @Async tasks. Database use is bounded separately: by the background pool's
		 * size and, with adaptive pacing, by the server's spare capacity.
		 */
		private int maxConcurrency = 2;

		/**
		 * Items a batch run takes per chunk.
		 */
		private int chunkSize = 3;

		/**
		 * Pause after each chunk of a batch run. 0 means none.
		 */
		private Duration delayBetweenChunks = Duration.ofMillis(200);

		/**
		 * Most tasks the AsyncTaskExecutor view queues; a task submitted beyond it is rejected.
		 */
		private int queueCapacity = 1000;

		/**
		 * Attempts per item when it fails with a transient database error (connection lost,
		 * server restarting, serialization failure, deadlock, pool timeout).
		 */
		private int maxAttempts = 3;

		/**
		 * Wait before the first retry of an item; doubled for each further retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(500);

		/**
		 * How long in-flight batch tasks and scheduled runs may finish at shutdown, before
		 * batch tasks are interrupted and the pools close.
		 */
		private Duration shutdownGracePeriod = Duration.ofSeconds(30);

		/**
		 * Whether batch runs pause before each chunk while the app pool has threads waiting for
		 * a connection or the server is past the health warning threshold.
		 */
		private boolean yieldToApp = true;

		/**
		 * Longest a batch run pauses for the application before it runs one chunk anyway: a
		 * busy application slows batch work down but never stops it.
		 */
		private Duration maxYield = Duration.ofSeconds(10);

		/**
		 * Longest a streaming replica of the monitored server may lag before batch work
		 * holds: its write, flush or replay lag in pg_stat_replication, or how long its replay
		 * has stood still while WAL waits (a paused or stuck replay). Read at every monitor
		 * sample; needs a role in pg_monitor. 5s, Vitess's and freno's default, is well above a
		 * healthy asynchronous replica's lag and within a default monitor interval of it. 0
		 * turns replica-lag pacing off (the lag is still shown).
		 */
		private Duration maxReplicaLag = Duration.ofSeconds(5);

		private final SpringBatch springBatch = new SpringBatch();

		/**
		 * How much slower than usual the application may get before batch work slows down: the
		 * app's recent latency (app connection wait and hold, and HTTP requests where Micrometer
		 * times them) and GC pause share against their baselines learned while no batch runs.
		 * Past it, batch work slows in proportion to the overshoot; past twice it once at its
		 * slowest pace, it holds.
		 * 1.2 lets the app run up to 20% slower while a batch runs (1.3 until issue 30: at 1.2
		 * the API's tail stayed within 1.3 times its idle value in the benchmark). Greater than
		 * 1; Infinity (YAML: .inf) turns latency pacing off, leaving the app-pool waiters and the
		 * server threshold.
		 */
		private double appLatencyTolerance = 1.2;

		/**
		 * Whether Linux's CPU pressure-stall information steers batch work too, under
		 * app-latency-tolerance: the share of each second runnable tasks waited for a CPU
		 * (/proc/pressure/cpu, the cgroup's cpu.pressure and cpu.stat throttling) against its
		 * share while no batch runs. It is read and shown (health experience.cpuPressure, meter
		 * poolguard.app.cpu.pressure) either way, where Linux gives it. False on a host whose
		 * other tenants' load should not slow batch work: the share is the machine's (or the
		 * container's), not the application's.
		 */
		private boolean paceOnCpuPressure = true;

		/**
		 * How long an adaptive batch run that yields to the app takes to reach the pace latency
		 * pacing allows: it starts at a fifth of it and grows evenly to all of it, counting only
		 * the time the app is within tolerance (the ramp waits while it is past). The app's
		 * experience is read once a second and acted on from the median of three, so a run
		 * that starts at full concurrency lands on the app unwatched for its first seconds. 0
		 * starts runs at the pace. Not applied while latency pacing is off
		 * (app-latency-tolerance Infinity).
		 */
		private Duration slowStart = Duration.ofSeconds(4);

		public PacingMode getPacing() {
			return this.pacing;
		}

		public void setPacing(PacingMode pacing) {
			this.pacing = pacing;
		}

		public int getMaxConcurrency() {
			return this.maxConcurrency;
		}

		public void setMaxConcurrency(int maxConcurrency) {
			Assert.isTrue(maxConcurrency >= 1, "max-concurrency must be at least 1");
			this.maxConcurrency = maxConcurrency;
		}

		public int getChunkSize() {
			return this.chunkSize;
		}

		public void setChunkSize(int chunkSize) {
			Assert.isTrue(chunkSize >= 1, "chunk-size must be at least 1");
			this.chunkSize = chunkSize;
		}

		public Duration getDelayBetweenChunks() {
			return this.delayBetweenChunks;
		}

		public void setDelayBetweenChunks(Duration delayBetweenChunks) {
			this.delayBetweenChunks = requireNotNegative(delayBetweenChunks, "delay-between-chunks");
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			Assert.isTrue(queueCapacity >= 1, "queue-capacity must be at least 1");
			this.queueCapacity = queueCapacity;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			Assert.isTrue(maxAttempts >= 1, "max-attempts must be at least 1");
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = requireNotNegative(initialBackoff, "initial-backoff");
		}

		public Duration getShutdownGracePeriod() {
			return this.shutdownGracePeriod;
		}

		public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
			this.shutdownGracePeriod = requireNotNegative(shutdownGracePeriod, "shutdown-grace-period");
		}

		public boolean isYieldToApp() {
			return this.yieldToApp;
		}

		public void setYieldToApp(boolean yieldToApp) {
			this.yieldToApp = yieldToApp;
		}

		public double getAppLatencyTolerance() {
			return this.appLatencyTolerance;
		}

		public void setAppLatencyTolerance(double appLatencyTolerance) {
			Assert.isTrue(appLatencyTolerance > 1,
					"app-latency-tolerance must be greater than 1, or Infinity to turn latency pacing off");
			this.appLatencyTolerance = appLatencyTolerance;
		}

		public boolean isPaceOnCpuPressure() {
			return this.paceOnCpuPressure;
		}

		public void setPaceOnCpuPressure(boolean paceOnCpuPressure) {
			this.paceOnCpuPressure = paceOnCpuPressure;
		}

		public Duration getSlowStart() {
			return this.slowStart;
		}

		public void setSlowStart(Duration slowStart) {
			this.slowStart = requireNotNegative(slowStart, "slow-start");
		}

		public Duration getMaxYield() {
			return this.maxYield;
		}

		public void setMaxYield(Duration maxYield) {
			Assert.isTrue(maxYield.toMillis() > 0, "max-yield must be positive");
			this.maxYield = maxYield;
		}

		public Duration getMaxReplicaLag() {
			return this.maxReplicaLag;
		}

		public void setMaxReplicaLag(Duration maxReplicaLag) {
			Assert.isTrue(!maxReplicaLag.isNegative(), "max-replica-lag must not be negative; 0 turns it off");
			this.maxReplicaLag = maxReplicaLag;
		}

		public SpringBatch getSpringBatch() {
			return this.springBatch;
		}

	}

	/**
	 * Spring Batch jobs as background work.
	 */
	public static class SpringBatch {

		/**
		 * Whether every Spring Batch step runs on the background pool, its concurrent chunks
		 * limited to the background pool's size and yielding between chunks while the app is
		 * under pressure, and shows in /actuator/poolguard. Applies when Spring Batch is on the
		 * classpath; false leaves Spring Batch as it is.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Guards against connection pools other than PoolGuard's own.
	 */
	public static class Guard {

		/**
		 * What to do when the context holds connection pools besides PoolGuard's: warn, or
		 * fail startup.
		 */
		private ExtraPools extraPools = ExtraPools.WARN;

		public ExtraPools getExtraPools() {
			return this.extraPools;
		}

		public void setExtraPools(ExtraPools extraPools) {
			this.extraPools = extraPools;
		}

	}

	/**
	 * What to do about extra connection pools.
	 */
	public enum ExtraPools {

		/**
		 * Name each extra pool and its size in one warning.
		 */
		WARN,

		/**
		 * Fail startup, naming each extra pool.
		 */
		FAIL

	}

	/**
	 * Security checks on the connection's role.
	 */
	public static class Security {

		/**
		 * Whether the pools may log in as a superuser. When false, a superuser login fails
		 * startup; when true it is logged as a warning.
		 */
		private boolean allowSuperuser = true;

		public boolean isAllowSuperuser() {
			return this.allowSuperuser;
		}

		public void setAllowSuperuser(boolean allowSuperuser) {
			this.allowSuperuser = allowSuperuser;
		}

	}

	/**
	 * The server monitor: one connection of its own that samples the server's connections.
	 */
	public static class Monitor {

		private static final Duration MIN_MONITOR_INTERVAL = Duration.ofMillis(100);

		/**
		 * Whether the server monitor runs. Health, metrics and pressure events from the server's
		 * side need it.
		 */
		private boolean enabled = true;

		/**
		 * How often the monitor samples the server's connections. At least 100ms; a number
		 * without a unit means milliseconds.
		 */
		private Duration interval = Duration.ofSeconds(10);

		/**
		 * Longest a sampling query may run before it is given up and the sample counts as failed.
		 */
		private Duration queryTimeout = Duration.ofSeconds(2);

		/**
		 * URL the monitor connects to (jdbc:postgresql://... or postgres[ql]://...), always
		 * with the app pool's credentials. Defaults to the app pool's URL; set a direct server
		 * URL when the pools go through PgBouncer.
		 */
		private @Nullable String url;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			// every sample is a transaction on the server: "10" (10 ms, not 10 s) would run a hundred a second
			Assert.isTrue(interval.compareTo(MIN_MONITOR_INTERVAL) >= 0, "interval must be at least 100ms, not "
					+ interval.toMillis() + "ms (a number without a unit means milliseconds: write 10s, not 10)");
			this.interval = interval;
		}

		public Duration getQueryTimeout() {
			return this.queryTimeout;
		}

		public void setQueryTimeout(Duration queryTimeout) {
			Assert.isTrue(queryTimeout.toMillis() > 0, "query-timeout must be positive");
			this.queryTimeout = queryTimeout;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = StringUtils.hasText(url) ? url : null;
		}

	}

	/**
	 * The connections health indicator and its thresholds.
	 */
	public static class Health {

		/**
		 * Share of the server's usable connections (max_connections less the reserved ones) in
		 * use from which health reports WARNING and a pressure event is published. Between 0
		 * (exclusive) and 1, below the critical threshold.
		 */
		private double warningThreshold = 0.80;

		/**
		 * Share of the server's usable connections in use from which the connections health
		 * reports level CRITICAL (its status stays WARNING: a crowded server is never DOWN), a
		 * critical pressure event is published and an ERROR line logged. Between 0 (exclusive)
		 * and 1.
		 */
		private double criticalThreshold = 0.95;

		/**
		 * Whether to replace Spring Boot's "db" health indicator, which borrows a pool connection
		 * and blocks while the pool is exhausted, with one that answers from the monitor's
		 * latest sample.
		 */
		private boolean replaceDbIndicator = true;

		public double getWarningThreshold() {
			return this.warningThreshold;
		}

		public void setWarningThreshold(double warningThreshold) {
			this.warningThreshold = warningThreshold;
		}

		public double getCriticalThreshold() {
			return this.criticalThreshold;
		}

		public void setCriticalThreshold(double criticalThreshold) {
			this.criticalThreshold = criticalThreshold;
		}

		public boolean isReplaceDbIndicator() {
			return this.replaceDbIndicator;
		}

		public void setReplaceDbIndicator(boolean replaceDbIndicator) {
			this.replaceDbIndicator = replaceDbIndicator;
		}

	}

	/**
	 * Tracking of who holds each borrowed connection, and reports of connections held too long.
	 */
	public static class Leak {

		/**
		 * Whether every borrowed connection is tracked with its pool, thread and borrow time.
		 */
		private boolean enabled = true;

		/**
		 * A connection held longer than this is reported once, with its holder, as a possible
		 * leak.
		 */
		private Duration threshold = Duration.ofSeconds(60);

		/**
		 * A connection borrowed for background work (the background pool, batch and scheduled
		 * work) held longer than this is reported once as a possible leak. Longer than the app's
		 * threshold by default, as a background item may rightly hold its connection for minutes.
		 */
		private Duration backgroundThreshold = Duration.ofMinutes(5);

		/**
		 * Whether to record the borrowing stack trace of every connection, shown in leak reports
		 * and the poolguard endpoint. Costs a stack capture per borrow.
		 */
		private boolean captureStack = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getThreshold() {
			return this.threshold;
		}

		public void setThreshold(Duration threshold) {
			Assert.isTrue(threshold.toMillis() > 0, "threshold must be positive");
			this.threshold = threshold;
		}

		public Duration getBackgroundThreshold() {
			return this.backgroundThreshold;
		}

		public void setBackgroundThreshold(Duration backgroundThreshold) {
			Assert.isTrue(backgroundThreshold.toMillis() > 0, "background-threshold must be positive");
			this.backgroundThreshold = backgroundThreshold;
		}

		public boolean isCaptureStack() {
			return this.captureStack;
		}

		public void setCaptureStack(boolean captureStack) {
			this.captureStack = captureStack;
		}

	}

	/**
	 * How the pools reach PostgreSQL when PgBouncer sits in between.
	 */
	public static class PgBouncer {

		/**
		 * PgBouncer's pool mode between the pools and the server: none (direct), session, or
		 * transaction. In transaction mode PoolGuard sets prepareThreshold=0, sends no startup
		 * options (it logs the ALTER ROLE statements that replace them), requires
		 * poolguard.monitor.url, and checks the budget against PgBouncer's pool size.
		 */
		private PgBouncerMode mode = PgBouncerMode.NONE;

		/**
		 * Server connections PgBouncer opens for the application's database and user
		 * (pool_size, plus reserve_pool_size if used). Read from the admin console when unset
		 * and admin-url is set.
		 */
		private @Nullable Integer poolSize;

		/**
		 * JDBC URL of PgBouncer's admin console, such as
		 * jdbc:postgresql://pgbouncer:6432/pgbouncer. When set, SHOW POOLS (waiting clients, longest
		 * wait) is sampled into health and metrics, and the pool size is read from it. PgBouncer 1.16
		 * or later; the driver settings the console needs (preferQueryMode=simple,
		 * assumeMinServerVersion=9.0, replication=database) are added unless the URL states them.
		 */
		private @Nullable String adminUrl;

		/**
		 * User of the admin console (one of PgBouncer's admin_users or stats_users). Defaults to
		 * the app pool's user.
		 */
		private @Nullable String adminUsername;

		/**
		 * Password of the admin console user. Defaults to the app pool's password.
		 */
		private @Nullable String adminPassword;

		public PgBouncerMode getMode() {
			return this.mode;
		}

		public void setMode(PgBouncerMode mode) {
			this.mode = mode;
		}

		public @Nullable Integer getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(@Nullable Integer poolSize) {
			Assert.isTrue(poolSize == null || poolSize >= 1, "pool-size must be at least 1");
			this.poolSize = poolSize;
		}

		public @Nullable String getAdminUrl() {
			return this.adminUrl;
		}

		public void setAdminUrl(@Nullable String adminUrl) {
			this.adminUrl = adminUrl;
		}

		public @Nullable String getAdminUsername() {
			return this.adminUsername;
		}

		public void setAdminUsername(@Nullable String adminUsername) {
			this.adminUsername = adminUsername;
		}

		public @Nullable String getAdminPassword() {
			return this.adminPassword;
		}

		public void setAdminPassword(@Nullable String adminPassword) {
			this.adminPassword = adminPassword;
		}

	}

	/**
	 * The workload of work Spring's scheduling runs.
	 */
	public static class Scheduling {

		/**
		 * Workload of everything a Spring task scheduler runs (@Scheduled methods,
		 * TaskScheduler tasks, Boot's auto-configured scheduler, virtual-thread schedulers):
		 * background, so it borrows from the background pool and can never take the app's
		 * connections, or app, to run it on the app pool.
		 */
		private Workload workload = Workload.BACKGROUND;

		public Workload getWorkload() {
			return this.workload;
		}

		public void setWorkload(Workload workload) {
			this.workload = workload;
		}

	}

	/**
	 * The operator console: one page that draws what /actuator/poolguard reports.
	 */
	public static class Console {

		/**
		 * Whether to serve the operator console page, a picture of the server's connections,
		 * the fleet, the pools and the batch runs drawn in the browser from
		 * /actuator/poolguard. The page carries no data; it shows what the endpoint shows to
		 * whoever may read it, so expose the endpoint (and protect both) as for the actuator.
		 */
		private boolean enabled = false;

		/**
		 * Path of the operator console page, under the servlet context path.
		 */
		private String path = "/poolguard-console";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			Assert.isTrue(path.startsWith("/") && path.length() > 1 && !path.endsWith("/"),
					"poolguard.console.path must start with '/', not end with one, and not be '/'");
			this.path = path;
		}

	}

}
