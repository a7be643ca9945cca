package io.github.poolguard.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.actuate.BatchRunControls;
import io.github.poolguard.actuate.BatchRuns;
import io.github.poolguard.actuate.PoolGuardEndpoint;
import io.github.poolguard.budget.ConnectionBudget;
import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.assessment.FleetLog;
import io.github.poolguard.budget.PgBouncerBudget;
import io.github.poolguard.budget.ServerBudget;
import io.github.poolguard.guard.ExtraPoolGuard;
import io.github.poolguard.health.ConnectionsHealthEndpointGroup;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.health.MonitoredDatabaseHealthIndicator;
import io.github.poolguard.housekeeping.Housekeeping;
import io.github.poolguard.leak.ConnectionHolders;
import io.github.poolguard.metrics.PgBouncerMetrics;
import io.github.poolguard.metrics.PoolGuardMetrics;
import io.github.poolguard.monitor.PressureThresholds;
import io.github.poolguard.monitor.ServerMonitor;
import io.github.poolguard.monitor.ServerPressure;
import io.github.poolguard.pgbouncer.PgBouncerConsole;
import io.github.poolguard.pool.ConnectionNames;
import io.github.poolguard.pool.ConnectionNaming;
import io.github.poolguard.pool.ServerConnector;
import io.github.poolguard.pool.ServerLimits;
import io.github.poolguard.routing.AppPool;
import io.github.poolguard.routing.BackgroundPool;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration for PoolGuard's view of its connections: the server monitor and its
 * pressure events, the {@code connections} health indicator with a non-blocking {@code db}
 * indicator in place of Spring Boot's, meters, holder tracking with leak reports, and the
 * {@code poolguard} endpoint. Applies when PoolGuard governs the application's {@code DataSource}.
 */
@AutoConfiguration(after = PoolGuardAutoConfiguration.class, beforeName = {
		"org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
		"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@ConditionalOnBean(GovernedAppPool.class)
@EnableConfigurationProperties(PoolGuardProperties.class)
@Import({ PoolGuardMonitorAutoConfiguration.MonitorConfiguration.class,
		PoolGuardMonitorAutoConfiguration.LeakConfiguration.class,
		PoolGuardMonitorAutoConfiguration.MetricsConfiguration.class,
		PoolGuardMonitorAutoConfiguration.EndpointConfiguration.class })
public final class PoolGuardMonitorAutoConfiguration {

	/**
	 * Bean name of the health indicator behind {@code /actuator/health/connections}; its
	 * contributor name, {@code poolGuardConnections}, is the member of the {@code connections}
	 * group (Spring Boot refuses a contributor and a group of the same name).
	 */
	public static final String HEALTH_INDICATOR_BEAN_NAME = "poolGuardConnectionsHealthIndicator";

	/**
	 * The one scheduler of PoolGuard's periodic work: monitor samples, PgBouncer console reads and
	 * leak checks. Its threads start with the first schedule, when the context starts.
	 * @return the scheduler
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Housekeeping poolGuardHousekeeping() {
		return new Housekeeping("poolguard-housekeeping", 2);
	}

	static PressureThresholds thresholds(PoolGuardProperties.Health health) {
		double warning = health.getWarningThreshold();
		double critical = health.getCriticalThreshold();
		if (!(warning > 0 && warning <= 1)) {
			throw new InvalidConfigurationPropertyValueException("poolguard.health.warning-threshold", warning,
					"It is a share of the server's usable connections: greater than 0 and at most 1, such as 0.80.");
		}
		if (!(critical > 0 && critical <= 1)) {
			throw new InvalidConfigurationPropertyValueException("poolguard.health.critical-threshold", critical,
					"It is a share of the server's usable connections: greater than 0 and at most 1, such as 0.95.");
		}
		if (warning >= critical) {
			throw new InvalidConfigurationPropertyValueException("poolguard.health.warning-threshold", warning,
					"It must be below poolguard.health.critical-threshold (" + critical + ").");
		}
		return new PressureThresholds(warning, critical);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "poolguard.monitor.enabled", matchIfMissing = true)
	@Import(MonitorConfiguration.HealthConfiguration.class)
	static class MonitorConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		ServerMonitor poolGuardServerMonitor(PoolGuardProperties properties, ConnectionNaming naming,
				GovernedAppPool governedAppPool, @BackgroundPool HikariDataSource backgroundPool,
				PoolGuardStartupCheck startupCheck, ApplicationEventPublisher eventPublisher,
				Housekeeping housekeeping) {
			HikariDataSource appPool = governedAppPool.hikari();
			PoolGuardProperties.Monitor monitorProperties = properties.getMonitor();
			PressureThresholds thresholds = thresholds(properties.getHealth());
			ServerConnector connector = ServerConnector.of(appPool, naming.monitor());
			if (StringUtils.hasText(monitorProperties.getUrl())) {
				connector = connector.withUrl(monitorProperties.getUrl());
			}
			ServerMonitor monitor = new ServerMonitor(connector, naming.applicationPart(),
					monitorProperties.getInterval(), monitorProperties.getQueryTimeout(), thresholds,
					() -> waiters(appPool), eventPublisher::publishEvent, appPool.getPassword());
			monitor.scheduleOn(housekeeping);
			monitor.watchBackgroundPool(() -> waiters(backgroundPool));
			monitor.onInstancesChanged(fleetLog(startupCheck)::instancesChanged);
			if (governedAppPool.settings() == null) {
				monitor.turnOff("the connection settings of DataSource '" + governedAppPool.beanName()
						+ "' cannot be read");
			}
			else if (startupCheck.getSettings() == null || !connector.isPostgres()) {
				monitor.turnOff(connector.describe() + " is not PostgreSQL");
			}
			return monitor;
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		@ConditionalOnProperty("poolguard.pgbouncer.admin-url")
		PgBouncerConsole poolGuardPgBouncerConsole(PoolGuardProperties properties, ConnectionNaming naming,
				GovernedAppPool appPool, Housekeeping housekeeping) {
			PgBouncerConsole console = PoolGuardAutoConfiguration.console(properties.getPgbouncer(), appPool.hikari(),
					naming, properties.getMonitor().getInterval());
			// started and stopped by the context's lifecycle, on the one scheduler
			console.scheduleOn(housekeeping);
			return console;
		}

		@Bean
		@ConditionalOnMissingBean
		ConnectionsAssessment poolGuardConnectionsOverview(ServerMonitor monitor,
				GovernedAppPool appPool, @BackgroundPool HikariDataSource backgroundPool,
				PoolGuardStartupCheck startupCheck, ObjectProvider<PgBouncerConsole> pgBouncerConsole,
				ObjectProvider<ExtraPoolGuard> extraPoolGuard) {
			ServerLimits limits = appPool.limits();
			return new ConnectionsAssessment(monitor, appPool.hikari(), backgroundPool, startupCheck::getBudget,
					(limits != null) ? limits.idleInTransactionTimeout() : Duration.ZERO,
					startupCheck.getPgBouncerBudget(), pgBouncerConsole.getIfAvailable(),
					() -> otherPools(extraPoolGuard));
		}

		private static Map<String, DataSource> otherPools(ObjectProvider<ExtraPoolGuard> extraPoolGuard) {
			Map<String, DataSource> pools = new LinkedHashMap<>();
			extraPoolGuard.ifAvailable((guard) -> guard.getExtraPools()
				.forEach((pool) -> pools.put(pool.beanName(), pool.dataSource())));
			return pools;
		}

		@Bean
		@ConditionalOnMissingBean(name = "poolGuardServerPressure")
		ServerPressure poolGuardServerPressure(ServerMonitor monitor, ConnectionNaming naming) {
			return new ServerPressure(monitor, naming.background());
		}

		// the budget is read when the count changes: other pools join it once every bean exists
		private static FleetLog fleetLog(PoolGuardStartupCheck startupCheck) {
			ConnectionBudget budget = startupCheck.getBudget();
			if (budget == null) {
				return new FleetLog(Integer.MAX_VALUE, (instances) -> null, false);
			}
			PgBouncerBudget pgBouncer = startupCheck.getPgBouncerBudget();
			return new FleetLog(budget.instances(), (instances) -> {
				ConnectionBudget current = startupCheck.getBudget();
				ServerBudget fleet = (pgBouncer != null) ? pgBouncer : (current != null) ? current : budget;
				return fleet.withInstances(instances);
			}, pgBouncer != null);
		}

		private static int waiters(HikariDataSource pool) {
			return (pool.getHikariPoolMXBean() != null) ? pool.getHikariPoolMXBean().getThreadsAwaitingConnection()
					: 0;
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
		static class HealthConfiguration {

			@Bean(name = HEALTH_INDICATOR_BEAN_NAME)
			@ConditionalOnEnabledHealthIndicator("connections")
			@ConditionalOnMissingBean(name = HEALTH_INDICATOR_BEAN_NAME)
			ConnectionsHealthIndicator poolGuardConnectionsHealthIndicator(ConnectionsAssessment assessment) {
				return new ConnectionsHealthIndicator(assessment);
			}

			@Bean
			@ConditionalOnClass(HealthEndpointGroupsPostProcessor.class)
			static HealthEndpointGroupsPostProcessor poolGuardConnectionsHealthGroup(ListableBeanFactory beanFactory) {
				return (groups) -> beanFactory.containsBean(HEALTH_INDICATOR_BEAN_NAME) ? ConnectionsHealthEndpointGroup
					.addTo(groups, HEALTH_INDICATOR_BEAN_NAME.substring(0, HEALTH_INDICATOR_BEAN_NAME.length()
							- "HealthIndicator".length())) : groups;
			}

			@Bean
			@ConditionalOnEnabledHealthIndicator("db")
			@ConditionalOnBooleanProperty(name = "poolguard.health.replace-db-indicator", matchIfMissing = true)
			@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
			HealthIndicator dbHealthContributor(ServerMonitor monitor, ConnectionsAssessment assessment,
					@AppPool DataSource appPool) {
				if (monitor.getOffReason() != null) {
					// nothing to sample: fall back to Spring Boot's check on the app pool
					return new DataSourceHealthIndicator(appPool);
				}
				return new MonitoredDatabaseHealthIndicator(assessment);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "poolguard.leak.enabled", matchIfMissing = true)
	static class LeakConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		ConnectionHolders poolGuardConnectionHolders(PoolGuardProperties properties, Housekeeping housekeeping) {
			ConnectionHolders holders = new ConnectionHolders(properties.getLeak().getThreshold(),
					properties.getLeak().getBackgroundThreshold(), properties.getLeak().isCaptureStack());
			// started and stopped by the context's lifecycle, on the one scheduler
			holders.scheduleOn(housekeeping);
			return holders;
		}

		@Bean
		static BeanPostProcessor poolGuardHolderTrackingPostProcessor(ObjectProvider<ConnectionHolders> holders) {
			return new HolderTrackingPostProcessor(holders);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PoolGuardMetrics poolGuardMetrics(ObjectProvider<ServerMonitor> monitor,
				ObjectProvider<ConnectionHolders> holders) {
			ServerMonitor serverMonitor = monitor.getIfAvailable();
			return new PoolGuardMetrics((serverMonitor != null && serverMonitor.getOffReason() == null)
					? serverMonitor : null, holders.getIfAvailable());
		}

		@Bean
		@ConditionalOnBean(PgBouncerConsole.class)
		@ConditionalOnMissingBean
		PgBouncerMetrics poolGuardPgBouncerMetrics(PgBouncerConsole console) {
			return new PgBouncerMetrics(console);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(PoolGuardEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PoolGuardEndpoint poolGuardEndpoint(ObjectProvider<ConnectionsAssessment> overview,
				ObjectProvider<ConnectionHolders> holders, ObjectProvider<BatchRuns> batchRuns,
				ObjectProvider<BatchRunControls> batchControls) {
			List<BatchRuns> sources = new ArrayList<>(batchRuns.orderedStream().toList());
			return new PoolGuardEndpoint(overview.getIfAvailable(), holders.getIfAvailable(), sources,
					batchControls.orderedStream().toList());
		}

	}

	/**
	 * Gives the routing data source a decorator that tracks every borrowed connection's holder.
	 */
	static final class HolderTrackingPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<ConnectionHolders> holders;

		HolderTrackingPostProcessor(ObjectProvider<ConnectionHolders> holders) {
			this.holders = holders;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof WorkloadRoutingDataSource routing) {
				ConnectionHolders holders = this.holders.getIfAvailable();
				if (holders != null) {
					// pool names are read per connection: the background pool exists only after this bean
					routing.setConnectionDecorator((workload, connection) -> holders.track(workload,
							poolName(routing.getPool(workload),
									(workload == Workload.BACKGROUND) ? ConnectionNames.BACKGROUND : ConnectionNames.APP),
							connection));
				}
			}
			return bean;
		}

		private static String poolName(DataSource pool, String fallback) {
			return (pool instanceof HikariDataSource hikari && hikari.getPoolName() != null) ? hikari.getPoolName()
					: fallback;
		}

	}

}
