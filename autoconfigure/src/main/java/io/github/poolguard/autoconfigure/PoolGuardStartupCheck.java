package io.github.poolguard.autoconfigure;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.budget.BudgetedPool;
import io.github.poolguard.internal.budget.ConnectionBudget;
import io.github.poolguard.internal.budget.ConnectionBudgetExceededException;
import io.github.poolguard.internal.budget.PgBouncerBudget;
import io.github.poolguard.internal.budget.ServerSettings;
import io.github.poolguard.internal.budget.SuperuserPolicy;
import io.github.poolguard.internal.guard.ExtraPool;
import io.github.poolguard.internal.pool.AlterRoleAdvice;
import io.github.poolguard.internal.pool.KeepaliveAdvice;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.internal.pool.ServerLimits;
import io.github.poolguard.pgbouncer.PgBouncerMode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Runs PoolGuard's startup check once, on a short-lived connection of its own: when the bean
 * is initialised, before the pools are handed out, it reads the server's settings, applies the
 * superuser policy and compares the pools' keepalive with the server's idle limit; once every
 * singleton exists, it checks the budget of every connection pool in the context. The parts
 * that do the work are runtime types ({@link ServerSettings}, {@link SuperuserPolicy},
 * {@link ConnectionBudget}, {@link KeepaliveAdvice}, {@link AlterRoleAdvice}); this bean runs
 * them and names the properties. Against a database that is not PostgreSQL it logs one line
 * and checks nothing.
 */
public class PoolGuardStartupCheck implements InitializingBean, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(PoolGuardStartupCheck.class);

	/**
	 * How the budget names the app pool.
	 */
	static final String APP = "app";

	/**
	 * How the budget names the background pool.
	 */
	static final String BACKGROUND = "background";

	/**
	 * Connections the server monitor holds per instance.
	 */
	static final int MONITOR_CONNECTIONS = 1;

	private final PoolGuardProperties properties;

	private final ServerConnector connector;

	private final HikariDataSource appPool;

	private final HikariDataSource backgroundPool;

	private final Supplier<@Nullable Integer> pgBouncerPoolSize;

	private final Supplier<List<ExtraPool>> otherPools;

	private volatile @Nullable ServerSettings settings;

	private volatile @Nullable ConnectionBudget budget;

	private volatile @Nullable PgBouncerBudget pgBouncerBudget;

	/**
	 * Create a check; nothing is read until the bean is initialised.
	 * @param properties PoolGuard's settings
	 * @param connector opens the check's own connection, as the app pool connects
	 * @param appPool the app pool
	 * @param backgroundPool the background pool
	 * @param pgBouncerPoolSize supplies PgBouncer's pool size when the check needs it
	 * @param otherPools supplies the other connection pools, once every singleton exists
	 */
	PoolGuardStartupCheck(PoolGuardProperties properties, ServerConnector connector, HikariDataSource appPool,
			HikariDataSource backgroundPool, Supplier<@Nullable Integer> pgBouncerPoolSize,
			Supplier<List<ExtraPool>> otherPools) {
		this.properties = properties;
		this.connector = connector;
		this.appPool = appPool;
		this.backgroundPool = backgroundPool;
		this.pgBouncerPoolSize = pgBouncerPoolSize;
		this.otherPools = otherPools;
	}

	@Override
	public void afterPropertiesSet() {
		if (!this.connector.isPostgres()) {
			logger.info("PoolGuard: " + this.connector.describe() + " is not PostgreSQL; pools and workload routing"
					+ " are on, server-side limits, connection names and the budget check are off.");
			return;
		}
		ServerSettings settings = readSettings();
		PoolGuardProperties.Budget budgetProperties = this.properties.getBudget();
		ConnectionBudget budget = new ConnectionBudget(settings.maxConnections(),
				settings.superuserReservedConnections(), settings.reservedConnections(),
				budgetProperties.getReservedConnections(),
				List.of(BudgetedPool.governed(APP, this.appPool.getMaximumPoolSize()),
						BudgetedPool.governed(BACKGROUND, this.backgroundPool.getMaximumPoolSize())),
				MONITOR_CONNECTIONS, budgetProperties.getInstances());
		if (this.properties.getPgbouncer().getMode() == PgBouncerMode.TRANSACTION) {
			PgBouncerBudget pgBouncerBudget = new PgBouncerBudget(budget, this.pgBouncerPoolSize.get());
			checkBudget(pgBouncerBudget);
			logAlterRole();
			this.pgBouncerBudget = pgBouncerBudget;
		}
		else if (budget.isOvercommitted() && failsOnOvercommit()) {
			// PoolGuard's own pools alone are too many: fail before any of them connects
			throw new ConnectionBudgetExceededException(budget);
		}
		if (new SuperuserPolicy(this.properties.getSecurity().isAllowSuperuser()).check(settings,
				this.appPool.getUsername())) {
			logger.warn("PoolGuard: the pools log in as '" + SuperuserPolicy.roleName(this.appPool.getUsername())
					+ "', a superuser: it bypasses reserved connections and every permission. Create a login role"
					+ " with only the privileges the application needs (poolguard.security.allow-superuser=false"
					+ " makes this a startup failure).");
		}
		warnWhenBackgroundOutgrowsApp();
		KeepaliveAdvice.check(settings.idleSessionTimeout(), this.appPool, this.backgroundPool)
			.forEach((advice) -> logger.warn("PoolGuard: " + advice));
		// the server answered the app pool's login: now a background login of its own must work too
		BackgroundLoginCheck.verify(this.connector.getConnectionName(), this.appPool, this.backgroundPool,
				this.properties.getBudget().getWaitForDatabase());
		this.settings = settings;
		this.budget = budget;
	}

	/**
	 * Count the other connection pools, which exist only now, and check the whole budget.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		ConnectionBudget budget = this.budget;
		if (budget == null || this.pgBouncerBudget != null) {
			return;
		}
		List<BudgetedPool> others = this.otherPools.get()
			.stream()
			.map((pool) -> BudgetedPool.other(pool.beanName(), pool.maxSize()))
			.toList();
		budget = budget.withOtherPools(others);
		this.budget = budget;
		checkBudget(budget);
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
	 * Return the budget checked at startup: PoolGuard's pools until every singleton exists,
	 * every pool in the context from then on.
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

	private ServerSettings readSettings() {
		try {
			return ServerSettings.read(this.connector, this.properties.getBudget().getWaitForDatabase());
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException(
					"PoolGuard could not read the connection settings of " + this.connector.describe(), ex);
		}
	}

	// the background pool exists to take less than the app: larger, it is likely a swapped setting
	private void warnWhenBackgroundOutgrowsApp() {
		int background = this.backgroundPool.getMaximumPoolSize();
		int app = this.appPool.getMaximumPoolSize();
		if (background > app) {
			logger.warn("PoolGuard: the background pool may open " + background + " connections"
					+ " (poolguard.background.hikari.maximum-pool-size), more than the app pool's " + app
					+ " (spring.datasource.hikari.maximum-pool-size): batch and scheduled work can then hold more of the"
					+ " server than the requests it should leave room for. Make the background pool the smaller one.");
		}
	}

	private boolean failsOnOvercommit() {
		return this.properties.getBudget().getOnOvercommit() == PoolGuardProperties.OnOvercommit.FAIL;
	}

	private void checkBudget(ConnectionBudget budget) {
		if (!budget.isOvercommitted()) {
			logger.info("PoolGuard: connection budget " + budget.explain());
			return;
		}
		if (failsOnOvercommit()) {
			throw new ConnectionBudgetExceededException(budget);
		}
		logger.warn("PoolGuard: connection budget overcommitted: " + budget.explain()
				+ ". Under full load the server will refuse connections (\"too many clients\"). Lower"
				+ " spring.datasource.hikari.maximum-pool-size or poolguard.background.hikari.maximum-pool-size"
				+ (budget.pools().stream().anyMatch((pool) -> !pool.governed())
						? ", remove the other pools" : "")
				+ ", or raise max_connections on the server.");
	}

	private void checkBudget(PgBouncerBudget budget) {
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
		if (failsOnOvercommit()) {
			throw new InvalidConfigurationPropertyValueException("poolguard.pgbouncer.pool-size", budget.poolSize(),
					message + " (poolguard.budget.on-overcommit=warn starts anyway.)");
		}
		logger.warn("PoolGuard: connection budget overcommitted: " + message);
	}

	// Behind a transaction-pooling PgBouncer the limits cannot travel as startup options, so
	// the role must carry them; say exactly what to run, once.
	private void logAlterRole() {
		String appRole = (this.appPool.getUsername() != null) ? this.appPool.getUsername() : "<app role>";
		String backgroundRole = (this.backgroundPool.getUsername() != null) ? this.backgroundPool.getUsername()
				: appRole;
		AlterRoleAdvice advice = new AlterRoleAdvice(appRole, limits(this.properties.getApp()), backgroundRole,
				limits(this.properties.getBackground()));
		StringBuilder text = new StringBuilder("PoolGuard: the pools go through PgBouncer in transaction mode"
				+ " (poolguard.pgbouncer.mode=transaction), which cannot carry startup options, so no server-side"
				+ " limits are sent and prepareThreshold=0 is set. Set the limits on the role instead:\n");
		text.append(advice.statements());
		Map<String, Long> conflict = advice.conflictingBackgroundLimits();
		if (conflict != null) {
			text.append("The background pool logs in as the same role but has other limits (")
				.append(conflict)
				.append("); give it a role of its own (poolguard.background.username) to set them apart.\n");
		}
		logger.warn(text.toString().stripTrailing());
	}

	private static ServerLimits limits(PoolGuardProperties.Limits limits) {
		return new ServerLimits(limits.getStatementTimeout(), limits.getIdleInTransactionTimeout(),
				limits.getLockTimeout());
	}

}
