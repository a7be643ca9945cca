package io.github.poolguard.autoconfigure;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.guard.ExtraPoolGuard;
import io.github.poolguard.pgbouncer.PgBouncerConsole;
import io.github.poolguard.pgbouncer.PgBouncerMode;
import io.github.poolguard.pool.ConnectionNames;
import io.github.poolguard.pool.GovernedHikariDataSource;
import io.github.poolguard.pool.InstanceIds;
import io.github.poolguard.pool.JdbcUrls;
import io.github.poolguard.pool.MisplacedUrlSettingsException;
import io.github.poolguard.pool.ServerLimits;
import io.github.poolguard.routing.AppPool;
import io.github.poolguard.routing.BackgroundPool;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration for PoolGuard: an app pool and a background pool behind one routing
 * {@link DataSource}, a startup check of the connection budget, and a guard against extra pools.
 * Backs off when the application defines its own {@code DataSource}, leaving only the guard.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, AbstractRoutingDataSource.class, DataSourceProperties.class })
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ PoolGuardProperties.class, DataSourceProperties.class })
@Import({ PoolGuardAutoConfiguration.PoolsConfiguration.class, PoolGuardAutoConfiguration.GuardConfiguration.class })
public final class PoolGuardAutoConfiguration {

	private static final Log logger = LogFactory.getLog(PoolGuardAutoConfiguration.class);

	/**
	 * Bean name of the app pool.
	 */
	public static final String APP_POOL_BEAN_NAME = "poolGuardAppPool";

	/**
	 * Bean name of the background pool.
	 */
	public static final String BACKGROUND_POOL_BEAN_NAME = "poolGuardBackgroundPool";

	static String applicationName(Environment environment) {
		String name = environment.getProperty("spring.application.name");
		return StringUtils.hasText(name) ? name : "application";
	}

	/**
	 * Return this instance's id for connection names: the configured one, else the process's
	 * own when several instances are expected (budget.instances above 1, or PgBouncer in
	 * between); otherwise {@code null}, keeping the two-part names of a single instance.
	 */
	static @Nullable String instanceId(PoolGuardProperties properties) {
		String configured = properties.getInstanceId();
		if (StringUtils.hasText(configured)) {
			if (!InstanceIds.isValid(configured)) {
				throw new InvalidConfigurationPropertyValueException("poolguard.instance-id", configured,
						"Use 1 to " + InstanceIds.MAX_LENGTH + " letters, digits, '.', '_' or '-' (no ':'), such as"
								+ " the pod's ordinal or a short host name.");
			}
			return configured;
		}
		if (properties.getBudget().getInstances() > 1 || properties.getPgbouncer().getMode() != PgBouncerMode.NONE) {
			return InstanceIds.ofProcess();
		}
		return null;
	}

	static @Nullable ServerLimits limits(String url, PoolGuardProperties.Limits limits) {
		if (!JdbcUrls.isPostgres(url)) {
			return null;
		}
		return new ServerLimits(limits.getStatementTimeout(), limits.getIdleInTransactionTimeout(),
				limits.getLockTimeout());
	}

	static void checkUrl(String property, String url) {
		if (!JdbcUrls.isPostgres(url)) {
			return;
		}
		List<String> problems = JdbcUrls.findMisplacedSettings(url);
		if (!problems.isEmpty()) {
			throw new MisplacedUrlSettingsException(property, url, problems);
		}
	}

	/**
	 * Return a reader of PgBouncer's admin console for the app pool's database.
	 */
	static PgBouncerConsole console(PoolGuardProperties.PgBouncer pgbouncer, HikariDataSource appPool,
			String applicationName, @Nullable String instanceId, Duration interval) {
		String adminUrl = pgbouncer.getAdminUrl();
		Assert.state(adminUrl != null, "no admin URL");
		String username = (pgbouncer.getAdminUsername() != null) ? pgbouncer.getAdminUsername()
				: appPool.getUsername();
		String password = (pgbouncer.getAdminPassword() != null) ? pgbouncer.getAdminPassword()
				: appPool.getPassword();
		String database = JdbcUrls.databaseName(appPool.getJdbcUrl());
		return new PgBouncerConsole(adminUrl, username, password,
				ConnectionNames.of(applicationName, "pgbouncer-console", instanceId),
				(database != null) ? database : "postgres", interval);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DataSource.class)
	static class PoolsConfiguration {

		@Bean
		@ConditionalOnMissingBean(JdbcConnectionDetails.class)
		JdbcConnectionDetails jdbcConnectionDetails(DataSourceProperties properties) {
			return new DataSourcePropertiesConnectionDetails(properties);
		}

		@Bean(name = APP_POOL_BEAN_NAME, defaultCandidate = false)
		@AppPool
		@ConfigurationProperties("spring.datasource.hikari")
		GovernedHikariDataSource poolGuardAppPool(JdbcConnectionDetails connectionDetails,
				PoolGuardProperties properties, Environment environment) {
			String url = connectionDetails.getJdbcUrl();
			checkUrl("spring.datasource.url", url);
			GovernedHikariDataSource pool = new GovernedHikariDataSource(
					ConnectionNames.of(applicationName(environment), ConnectionNames.APP, instanceId(properties)),
					limits(url, properties.getApp()));
			if (properties.getPgbouncer().getMode() == PgBouncerMode.TRANSACTION) {
				pool.enableTransactionPooling();
			}
			connect(pool, url, connectionDetails.getUsername(), connectionDetails.getPassword(),
					connectionDetails.getDriverClassName(), environment, "spring.datasource.hikari");
			return pool;
		}

		@Bean(name = BACKGROUND_POOL_BEAN_NAME, defaultCandidate = false)
		@BackgroundPool
		@DependsOn(APP_POOL_BEAN_NAME)
		@ConfigurationProperties("poolguard.background.hikari")
		GovernedHikariDataSource poolGuardBackgroundPool(JdbcConnectionDetails connectionDetails,
				PoolGuardProperties properties, Environment environment) {
			PoolGuardProperties.Background background = properties.getBackground();
			boolean ownUrl = StringUtils.hasText(background.getUrl());
			String url = ownUrl ? background.getUrl() : connectionDetails.getJdbcUrl();
			checkUrl(ownUrl ? "poolguard.background.url" : "spring.datasource.url", url);
			GovernedHikariDataSource pool = new GovernedHikariDataSource(
					ConnectionNames.of(applicationName(environment), ConnectionNames.BACKGROUND,
							instanceId(properties)),
					limits(url, background));
			if (properties.getPgbouncer().getMode() == PgBouncerMode.TRANSACTION) {
				pool.enableTransactionPooling();
			}
			String username = (background.getUsername() != null) ? background.getUsername()
					: connectionDetails.getUsername();
			String password = (background.getPassword() != null) ? background.getPassword()
					: connectionDetails.getPassword();
			String driver = ownUrl ? null : connectionDetails.getDriverClassName();
			connect(pool, url, username, password, driver, environment, "poolguard.background.hikari");
			pool.setMaximumPoolSize(3);
			pool.setMinimumIdle(0);
			pool.setConnectionTimeout(20_000);
			return pool;
		}

		@Bean
		PoolGuardStartupCheck poolGuardStartupCheck(PoolGuardProperties properties, Environment environment,
				@AppPool GovernedHikariDataSource appPool, @BackgroundPool GovernedHikariDataSource backgroundPool) {
			PoolGuardProperties.PgBouncer pgbouncer = properties.getPgbouncer();
			if (pgbouncer.getMode() == PgBouncerMode.TRANSACTION && properties.getMonitor().isEnabled()
					&& !StringUtils.hasText(properties.getMonitor().getUrl()) && JdbcUrls.isPostgres(appPool.getJdbcUrl())) {
				throw new InvalidConfigurationPropertyValueException("poolguard.pgbouncer.mode", "transaction",
						"Behind PgBouncer in transaction mode the server monitor and exclusive batch claims need a"
								+ " session of their own on PostgreSQL itself. Set poolguard.monitor.url to a direct"
								+ " server URL (the app pool's credentials are used), or poolguard.monitor.enabled=false.");
			}
			return new PoolGuardStartupCheck(properties, applicationName(environment), instanceId(properties), appPool,
					backgroundPool, () -> pgBouncerPoolSize(pgbouncer, appPool, applicationName(environment),
							instanceId(properties)));
		}

		private static @Nullable Integer pgBouncerPoolSize(PoolGuardProperties.PgBouncer pgbouncer,
				GovernedHikariDataSource appPool, String applicationName, @Nullable String instanceId) {
			if (pgbouncer.getPoolSize() != null) {
				return pgbouncer.getPoolSize();
			}
			if (!StringUtils.hasText(pgbouncer.getAdminUrl())) {
				return null;
			}
			try (PgBouncerConsole console = console(pgbouncer, appPool, applicationName, instanceId, Duration.ZERO)) {
				return console.readPoolSize();
			}
			catch (SQLException ex) {
				logger.warn("PoolGuard: cannot read PgBouncer's pool size from its admin console ("
						+ JdbcUrls.redact(pgbouncer.getAdminUrl()) + "): " + ex.getMessage()
						+ "; set poolguard.pgbouncer.pool-size to check the budget");
				return null;
			}
		}

		@Bean
		WorkloadRoutingDataSource dataSource(@AppPool GovernedHikariDataSource appPool,
				@BackgroundPool GovernedHikariDataSource backgroundPool, PoolGuardStartupCheck startupCheck,
				PoolGuardProperties properties, Environment environment) {
			BackgroundLoginCheck.verify(applicationName(environment), appPool, backgroundPool,
					properties.getBudget().getWaitForDatabase());
			return new WorkloadRoutingDataSource(appPool, backgroundPool);
		}

		private static void connect(HikariDataSource pool, String url, @Nullable String username,
				@Nullable String password, @Nullable String driverClassName, Environment environment, String prefix) {
			pool.setJdbcUrl(url);
			pool.setUsername(username);
			pool.setPassword(password);
			if (driverClassName != null && environment.getProperty(prefix + ".data-source-class-name") == null) {
				pool.setDriverClassName(driverClassName);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GuardConfiguration {

		@Bean
		ExtraPoolGuard poolGuardExtraPoolGuard(ListableBeanFactory beanFactory,
				ObjectProvider<DataSourcePoolMetadataProvider> metadataProviders, PoolGuardProperties properties) {
			Set<String> governed = new HashSet<>();
			for (String name : beanFactory.getBeanNamesForType(WorkloadRoutingDataSource.class, false, false)) {
				governed.add(name);
			}
			if (beanFactory.containsBeanDefinition(APP_POOL_BEAN_NAME)) {
				governed.add(APP_POOL_BEAN_NAME);
				governed.add(BACKGROUND_POOL_BEAN_NAME);
			}
			return new ExtraPoolGuard(beanFactory,
					new CompositeDataSourcePoolMetadataProvider(metadataProviders.orderedStream().toList()), governed,
					properties.getGuard().getExtraPools() == PoolGuardProperties.ExtraPools.FAIL);
		}

	}

}
