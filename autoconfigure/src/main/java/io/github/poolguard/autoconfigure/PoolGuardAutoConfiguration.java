package io.github.poolguard.autoconfigure;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.guard.ExtraPoolGuard;
import io.github.poolguard.internal.pgbouncer.PgBouncerConsole;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ConnectionNaming;
import io.github.poolguard.internal.pool.InstanceIds;
import io.github.poolguard.internal.pool.JdbcUrls;
import io.github.poolguard.internal.pool.LoginBackoff;
import io.github.poolguard.internal.pool.LoginGuard;
import io.github.poolguard.internal.pool.MisplacedUrlSettingsException;
import io.github.poolguard.internal.pool.PoolDerivation;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.internal.pool.ServerLimits;
import io.github.poolguard.pgbouncer.PgBouncerMode;
import io.github.poolguard.routing.AppPool;
import io.github.poolguard.routing.BackgroundPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for PoolGuard: governs the application's {@link DataSource} (the one
 * Spring Boot's {@link DataSourceAutoConfiguration} or the application built) by naming and
 * limiting its connections and routing it together with a background pool derived from it,
 * checks the connection budget at startup, and guards against extra pools. Where there is no
 * single {@code DataSource}, it adds none and governs nothing.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HikariDataSource.class, AbstractRoutingDataSource.class, DataSourceBuilder.class })
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PoolGuardProperties.class)
@Import({ PoolGuardAutoConfiguration.PoolsConfiguration.class, PoolGuardAutoConfiguration.GuardConfiguration.class,
		PoolGuardAutoConfiguration.SanitizingConfiguration.class })
public final class PoolGuardAutoConfiguration {

	private static final Log logger = LogFactory.getLog(PoolGuardAutoConfiguration.class);

	/**
	 * Bean name of the app pool: the application's own {@code DataSource} as it was before
	 * PoolGuard wrapped it, for injection with {@link AppPool}.
	 */
	public static final String APP_POOL_BEAN_NAME = "poolGuardAppPool";

	/**
	 * Bean name of the background pool, derived from the app pool.
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

	/**
	 * The one source of every PoolGuard connection name. Static: the governor, a post-processor,
	 * names the pools with it before the configuration classes exist.
	 */
	@Bean
	static ConnectionNaming poolGuardConnectionNaming(PoolGuardProperties properties, Environment environment) {
		String instanceId = instanceId(properties);
		// the monitor's name always carries an instance id, so every instance sees the others without configuration
		return new ConnectionNaming(applicationName(environment), instanceId,
				(instanceId != null) ? instanceId : InstanceIds.random());
	}

	private static final Duration LOGIN_BACKOFF_BASE = Duration.ofMillis(200);

	private static final Duration LOGIN_BACKOFF_MAX = Duration.ofSeconds(10);

	static @Nullable ServerLimits limits(@Nullable String url, PoolGuardProperties.Limits limits) {
		if (!JdbcUrls.isPostgres(url)) {
			return null;
		}
		return new ServerLimits(limits.getStatementTimeout(), limits.getIdleInTransactionTimeout(),
				limits.getLockTimeout());
	}

	static void checkUrl(String property, @Nullable String url) {
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
			ConnectionNaming naming, Duration interval) {
		String adminUrl = pgbouncer.getAdminUrl();
		Assert.state(adminUrl != null, "no admin URL");
		String username = (pgbouncer.getAdminUsername() != null) ? pgbouncer.getAdminUsername()
				: appPool.getUsername();
		String password = (pgbouncer.getAdminPassword() != null) ? pgbouncer.getAdminPassword()
				: appPool.getPassword();
		String database = JdbcUrls.databaseName(appPool.getJdbcUrl());
		// the console refuses startup options and search_path ("unsupported startup parameter"),
		// so the pool's server-side limits and schema stay behind
		ServerConnector connector = ServerConnector
			.of(appPool, naming.of(ConnectionNames.PGBOUNCER_CONSOLE))
			.withUrl(adminUrl)
			.withCredentials(username, password)
			.without("options")
			.without("currentSchema");
		return new PgBouncerConsole(connector, (database != null) ? database : "postgres", interval);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnSingleCandidate(DataSource.class)
	static class PoolsConfiguration {

		@Bean
		static AppDataSourceGovernor poolGuardAppDataSourceGovernor(ObjectProvider<PoolGuardProperties> properties,
				ObjectProvider<DataSourcePoolMetadataProvider> metadataProviders, ObjectProvider<ConnectionNaming> naming,
				ObjectProvider<LoginGuard> loginGuards) {
			return new AppDataSourceGovernor(properties, metadataProviders, naming, loginGuards(loginGuards));
		}

		@Bean
		static BackgroundPoolGovernor poolGuardBackgroundPoolGovernor(ObjectProvider<PoolGuardProperties> properties,
				ObjectProvider<ConnectionNaming> naming, ObjectProvider<LoginGuard> loginGuards) {
			return new BackgroundPoolGovernor(properties, naming, loginGuards(loginGuards));
		}

		@Bean
		@Order(0)
		LoginBackoff poolGuardLoginBackoff() {
			return new LoginBackoff(LOGIN_BACKOFF_BASE, LOGIN_BACKOFF_MAX);
		}

		// read on the first login, when the guards can be created; the same ones after that
		private static Supplier<List<LoginGuard>> loginGuards(ObjectProvider<LoginGuard> guards) {
			return SingletonSupplier.of(() -> guards.orderedStream().toList());
		}

		@Bean
		static ApplicationDataSourcePrimaryMarker poolGuardApplicationDataSourcePrimaryMarker() {
			return new ApplicationDataSourcePrimaryMarker();
		}

		@Bean
		GovernedAppPool poolGuardGovernedAppPool(DataSource dataSource, AppDataSourceGovernor governor) {
			// resolving the application's DataSource above is what makes the governor wrap it
			return governor.governed();
		}

		@Bean(name = APP_POOL_BEAN_NAME, defaultCandidate = false, destroyMethod = "")
		@AppPool
		DataSource poolGuardAppPool(GovernedAppPool appPool) {
			return appPool.pool();
		}

		@Bean(name = BACKGROUND_POOL_BEAN_NAME, defaultCandidate = false)
		@BackgroundPool
		@ConfigurationProperties("poolguard.background.hikari")
		HikariDataSource poolGuardBackgroundPool(GovernedAppPool appPool, PoolGuardProperties properties) {
			PoolGuardProperties.Background background = properties.getBackground();
			HikariDataSource pool = PoolDerivation.derive(appPool.settings(), appPool.pool());
			if (StringUtils.hasText(background.getUrl())) {
				checkUrl("poolguard.background.url", background.getUrl());
				pool.setJdbcUrl(background.getUrl());
			}
			if (background.getUsername() != null) {
				pool.setUsername(background.getUsername());
			}
			if (background.getPassword() != null) {
				pool.setPassword(background.getPassword());
			}
			pool.setMaximumPoolSize(3);
			pool.setMinimumIdle(0);
			pool.setConnectionTimeout(20_000);
			// HikariCP starts a pool on its first getConnection inside a synchronized block, and
			// with a fail-fast timeout it opens a connection there: on a virtual scheduler thread
			// that pins the carrier (JDK 21-23) and blocks every other caller. Without it the start
			// does no I/O and connections open on Hikari's own thread. The startup check has
			// already verified that the background login works.
			pool.setInitializationFailTimeout(-1);
			return pool;
		}

		@Bean
		PoolGuardStartupCheck poolGuardStartupCheck(PoolGuardProperties properties, ConnectionNaming naming,
				GovernedAppPool governedAppPool, @BackgroundPool HikariDataSource backgroundPool,
				ObjectProvider<ExtraPoolGuard> extraPoolGuard) {
			HikariDataSource appPool = governedAppPool.hikari();
			PoolGuardProperties.PgBouncer pgbouncer = properties.getPgbouncer();
			if (pgbouncer.getMode() == PgBouncerMode.TRANSACTION && properties.getMonitor().isEnabled()
					&& !StringUtils.hasText(properties.getMonitor().getUrl()) && JdbcUrls.isPostgres(appPool.getJdbcUrl())) {
				throw new InvalidConfigurationPropertyValueException("poolguard.pgbouncer.mode", "transaction",
						"Behind PgBouncer in transaction mode the server monitor and exclusive batch claims need a"
								+ " session of their own on PostgreSQL itself. Set poolguard.monitor.url to a direct"
								+ " server URL (the app pool's credentials are used), or poolguard.monitor.enabled=false.");
			}
			ServerConnector connector = ServerConnector.of(appPool, naming.of(ConnectionNames.STARTUP));
			if (pgbouncer.getMode() != PgBouncerMode.NONE && StringUtils.hasText(properties.getMonitor().getUrl())) {
				connector = connector.withUrl(properties.getMonitor().getUrl());
			}
			return new PoolGuardStartupCheck(properties, connector, appPool, backgroundPool,
					() -> pgBouncerPoolSize(pgbouncer, appPool, naming),
					() -> extraPoolGuard.stream().flatMap((guard) -> guard.getExtraPools().stream()).toList());
		}

		private static @Nullable Integer pgBouncerPoolSize(PoolGuardProperties.PgBouncer pgbouncer,
				HikariDataSource appPool, ConnectionNaming naming) {
			if (pgbouncer.getPoolSize() != null) {
				return pgbouncer.getPoolSize();
			}
			if (!StringUtils.hasText(pgbouncer.getAdminUrl())) {
				return null;
			}
			PgBouncerConsole console = console(pgbouncer, appPool, naming, Duration.ZERO);
			try (console) {
				return console.readPoolSize();
			}
			catch (SQLException ex) {
				logger.warn("PoolGuard: cannot read PgBouncer's pool size from its admin console ("
						+ JdbcUrls.redact(pgbouncer.getAdminUrl()) + "): " + console.mask(ex.getMessage())
						+ "; set poolguard.pgbouncer.pool-size to check the budget");
				return null;
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GuardConfiguration {

		@Bean
		PoolGuardStartupReport poolGuardStartupReport(ListableBeanFactory beanFactory) {
			return new PoolGuardStartupReport(beanFactory);
		}

		@Bean
		ExtraPoolGuard poolGuardExtraPoolGuard(ListableBeanFactory beanFactory,
				ObjectProvider<DataSourcePoolMetadataProvider> metadataProviders, PoolGuardProperties properties,
				ObjectProvider<AppDataSourceGovernor> governors) {
			Set<String> governed = new HashSet<>();
			governors.ifAvailable((governor) -> {
				String applicationDataSource = governor.applicationDataSource();
				if (applicationDataSource != null) {
					governed.add(applicationDataSource);
					governed.add(APP_POOL_BEAN_NAME);
					governed.add(BACKGROUND_POOL_BEAN_NAME);
				}
			});
			return new ExtraPoolGuard(beanFactory,
					new CompositeDataSourcePoolMetadataProvider(metadataProviders.orderedStream().toList()), governed,
					properties.getGuard().getExtraPools() == PoolGuardProperties.ExtraPools.FAIL);
		}

	}

	/**
	 * Keeps passwords under {@code poolguard.*} out of {@code /actuator/configprops} and
	 * {@code /actuator/env} even with {@code show-values} on: the background pool's binding holds
	 * the app pool's password, copied, under a key a user's sanitizing rule for
	 * {@code spring.datasource.password} does not match.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
	static class SanitizingConfiguration {

		@Bean
		SanitizingFunction poolGuardPasswordSanitizer() {
			return SanitizingFunction.sanitizeValue()
				.ifKeyMatches((key) -> key.toLowerCase(Locale.ROOT).startsWith("poolguard.")
						&& key.toLowerCase(Locale.ROOT).contains("password"));
		}

	}

}
