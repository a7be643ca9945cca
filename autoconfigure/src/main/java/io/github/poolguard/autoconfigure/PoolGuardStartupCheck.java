package io.github.poolguard.autoconfigure;

import java.sql.SQLException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.budget.ConnectionBudget;
import io.github.poolguard.budget.ConnectionBudgetExceededException;
import io.github.poolguard.budget.PgBouncerBudget;
import io.github.poolguard.budget.ServerSettings;
import io.github.poolguard.budget.SuperuserNotAllowedException;
import io.github.poolguard.pgbouncer.PgBouncerMode;
import io.github.poolguard.pool.ConnectionNames;
import io.github.poolguard.pool.JdbcUrls;
import io.github.poolguard.pool.ServerConnector;
import io.github.poolguard.pool.ServerLimits;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Checks the server once at startup, on a short-lived connection of its own and before any pool
 * opens a connection: the connection budget, the server's idle limit against the pools'
 * keepalive, and superuser logins. Against a database that is not PostgreSQL it logs one line
 * and checks nothing.
 */
public class PoolGuardStartupCheck {

	private static final Log logger = LogFactory.getLog(PoolGuardStartupCheck.class);

	/**
	 * Connections the server monitor holds per instance.
	 */
	static final int MONITOR_CONNECTIONS = 1;

	private final @Nullable ConnectionBudget budget;

	private final @Nullable PgBouncerBudget pgBouncerBudget;

	private final @Nullable ServerSettings settings;

	PoolGuardStartupCheck(PoolGuardProperties properties, String applicationName, HikariDataSource appPool,
			HikariDataSource backgroundPool) {
		this(properties, applicationName, null, appPool, backgroundPool, null);
	}

	PoolGuardStartupCheck(PoolGuardProperties properties, String applicationName, @Nullable String instanceId,
			HikariDataSource appPool, HikariDataSource backgroundPool, @Nullable PoolSizeSource pgBouncerPoolSize) {
		if (!JdbcUrls.isPostgres(appPool.getJdbcUrl())) {
			logger.info("PoolGuard: " + JdbcUrls.redact(appPool.getJdbcUrl()) + " is not PostgreSQL; pools and"
					+ " workload routing are on, server-side limits, connection names and the budget check are off.");
			this.budget = null;
			this.pgBouncerBudget = null;
			this.settings = null;
			return;
		}
		PgBouncerMode mode = properties.getPgbouncer().getMode();
		String directUrl = (mode != PgBouncerMode.NONE && properties.getMonitor().getUrl() != null)
				? properties.getMonitor().getUrl() : appPool.getJdbcUrl();
		ServerConnector connector = new ServerConnector(directUrl, appPool.getUsername(), appPool.getPassword(),
				ConnectionNames.of(applicationName, ConnectionNames.STARTUP, instanceId));
		PoolGuardProperties.Budget budgetProperties = properties.getBudget();
		this.settings = readSettings(connector, budgetProperties.getWaitForDatabase());
		this.budget = new ConnectionBudget(this.settings.maxConnections(),
				this.settings.superuserReservedConnections(), this.settings.reservedConnections(),
				budgetProperties.getReservedConnections(), appPool.getMaximumPoolSize(),
				backgroundPool.getMaximumPoolSize(), MONITOR_CONNECTIONS, budgetProperties.getInstances());
		if (mode == PgBouncerMode.TRANSACTION) {
			Integer poolSize = (pgBouncerPoolSize != null) ? pgBouncerPoolSize.get() : null;
			PgBouncerBudget pgBouncerBudget = new PgBouncerBudget(this.budget, poolSize);
			checkBudget(pgBouncerBudget, budgetProperties.getOnOvercommit());
			logAlterRole(properties, appPool, backgroundPool);
			this.pgBouncerBudget = pgBouncerBudget;
		}
		else {
			checkBudget(this.budget, budgetProperties.getOnOvercommit());
			this.pgBouncerBudget = null;
		}
		checkSuperuser(this.settings, appPool.getUsername(), properties.getSecurity().isAllowSuperuser());
		checkIdleSessionTimeout(this.settings, appPool, backgroundPool);
	}

	/**
	 * Return the PgBouncer budget checked at startup.
	 * @return the budget, or {@code null} unless the pools go through PgBouncer in transaction
	 * mode
	 */
	public @Nullable PgBouncerBudget getPgBouncerBudget() {
		return this.pgBouncerBudget;
	}

	/**
	 * Return the budget checked at startup.
	 * @return the budget, or {@code null} when the database is not PostgreSQL
	 */
	public @Nullable ConnectionBudget getBudget() {
		return this.budget;
	}

	/**
	 * Return the server settings read at startup.
	 * @return the settings, or {@code null} when the database is not PostgreSQL
	 */
	public @Nullable ServerSettings getSettings() {
		return this.settings;
	}

	private static ServerSettings readSettings(ServerConnector connector, Duration wait) {
		try {
			return ServerSettings.read(connector, wait);
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException(
					"PoolGuard could not read the connection settings of " + connector.describe(), ex);
		}
	}

	private static void checkBudget(ConnectionBudget budget, PoolGuardProperties.OnOvercommit onOvercommit) {
		if (!budget.isOvercommitted()) {
			logger.info("PoolGuard: connection budget " + budget.explain());
			return;
		}
		if (onOvercommit == PoolGuardProperties.OnOvercommit.FAIL) {
			throw new ConnectionBudgetExceededException(budget);
		}
		logger.warn("PoolGuard: connection budget overcommitted: " + budget.explain()
				+ ". Under full load the server will refuse connections (\"too many clients\"). Lower"
				+ " spring.datasource.hikari.maximum-pool-size or poolguard.background.hikari.maximum-pool-size,"
				+ " or raise max_connections on the server.");
	}

	private static void checkBudget(PgBouncerBudget budget, PoolGuardProperties.OnOvercommit onOvercommit) {
		if (budget.poolSize() == null) {
			logger.info("PoolGuard: connection budget behind PgBouncer: " + budget.explain() + ". PgBouncer's pool size"
					+ " is not known, so only the monitors are counted against the server; set"
					+ " poolguard.pgbouncer.pool-size or poolguard.pgbouncer.admin-url to check it.");
			return;
		}
		if (!budget.isOvercommitted()) {
			logger.info("PoolGuard: connection budget behind PgBouncer: " + budget.explain());
			return;
		}
		String message = "PgBouncer and the monitors may open more server connections than PostgreSQL allows: "
				+ budget.explain() + ". Lower PgBouncer's pool_size (or default_pool_size) for the database,"
				+ " lower poolguard.budget.reserved-connections, or raise max_connections on the server.";
		if (onOvercommit == PoolGuardProperties.OnOvercommit.FAIL) {
			throw new InvalidConfigurationPropertyValueException("poolguard.pgbouncer.pool-size", budget.poolSize(),
					message + " (poolguard.budget.on-overcommit=warn starts anyway.)");
		}
		logger.warn("PoolGuard: connection budget overcommitted: " + message);
	}

	// Behind a transaction-pooling PgBouncer the limits cannot travel as startup options, so
	// the role must carry them; say exactly what to run, once.
	private static void logAlterRole(PoolGuardProperties properties, HikariDataSource appPool,
			HikariDataSource backgroundPool) {
		ServerLimits app = limits(properties.getApp());
		ServerLimits background = limits(properties.getBackground());
		String appRole = (appPool.getUsername() != null) ? appPool.getUsername() : "<app role>";
		String backgroundRole = (backgroundPool.getUsername() != null) ? backgroundPool.getUsername() : appRole;
		StringBuilder text = new StringBuilder("PoolGuard: the pools go through PgBouncer in transaction mode"
				+ " (poolguard.pgbouncer.mode=transaction), which cannot carry startup options, so no server-side"
				+ " limits are sent and prepareThreshold=0 is set. Set the limits on the role instead:\n");
		text.append(app.toAlterRoleStatements(appRole));
		if (!backgroundRole.equals(appRole)) {
			text.append(background.toAlterRoleStatements(backgroundRole));
		}
		else if (!background.equals(app)) {
			text.append("The background pool logs in as the same role but has other limits (")
				.append(background.asParameters())
				.append("); give it a role of its own (poolguard.background.username) to set them apart.\n");
		}
		logger.warn(text.toString().stripTrailing());
	}

	private static ServerLimits limits(PoolGuardProperties.Limits limits) {
		return new ServerLimits(limits.getStatementTimeout(), limits.getIdleInTransactionTimeout(),
				limits.getLockTimeout());
	}

	private static void checkSuperuser(ServerSettings settings, @Nullable String username, boolean allowed) {
		if (!settings.superuser()) {
			return;
		}
		String role = (username != null) ? username : "(driver default)";
		if (!allowed) {
			throw new SuperuserNotAllowedException(role);
		}
		logger.warn("PoolGuard: the pools log in as '" + role + "', a superuser: it bypasses reserved connections"
				+ " and every permission. Create a login role with only the privileges the application needs"
				+ " (poolguard.security.allow-superuser=false makes this a startup failure).");
	}

	private static void checkIdleSessionTimeout(ServerSettings settings, HikariDataSource... pools) {
		Duration idleLimit = settings.idleSessionTimeout();
		if (idleLimit.isZero()) {
			return;
		}
		for (HikariDataSource pool : pools) {
			long keepalive = (pool.getKeepaliveTime() > 0) ? pool.getKeepaliveTime() : pool.getMaxLifetime();
			if (idleLimit.toMillis() <= keepalive) {
				logger.warn("PoolGuard: the server ends sessions idle for " + idleLimit.toSeconds()
						+ " s (idle_session_timeout) but pool '" + pool.getPoolName() + "' keeps idle connections for up to "
						+ keepalive / 1000 + " s between keepalives (max lifetime " + pool.getMaxLifetime() / 1000
						+ " s); borrowers will get dead connections. Set its keepalive-time and max-lifetime below "
						+ idleLimit.toSeconds() + " s.");
			}
		}
	}

	/**
	 * Supplies PgBouncer's pool size when the startup check needs it.
	 */
	@FunctionalInterface
	interface PoolSizeSource {

		@Nullable Integer get();

	}

}
