package io.github.poolguard.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.actuate.BatchRunControls;
import io.github.poolguard.actuate.BatchRuns;
import io.github.poolguard.actuate.PoolGuardEndpoint;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.health.MonitoredDatabaseHealthIndicator;
import io.github.poolguard.leak.ConnectionHolders;
import io.github.poolguard.metrics.PgBouncerMetrics;
import io.github.poolguard.metrics.PoolGuardMetrics;
import io.github.poolguard.monitor.ConnectionsOverview;
import io.github.poolguard.monitor.PressureThresholds;
import io.github.poolguard.monitor.ServerMonitor;
import io.github.poolguard.monitor.ServerPressure;
import io.github.poolguard.pgbouncer.PgBouncerConsole;
import io.github.poolguard.pool.ConnectionNames;
import io.github.poolguard.pool.GovernedHikariDataSource;
import io.github.poolguard.pool.JdbcUrls;
import io.github.poolguard.pool.ServerConnector;
import io.github.poolguard.pool.ServerLimits;
import io.github.poolguard.routing.AppPool;
import io.github.poolguard.routing.BackgroundPool;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import io.micrometer.core.instrument.binder.MeterBinder;

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
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for PoolGuard's view of its connections: the server monitor and its
 * pressure events, the {@code connections} health indicator with a non-blocking {@code db}
 * indicator in place of Spring Boot's, meters, holder tracking with leak reports, and the
 * {@code poolguard} endpoint. Applies when PoolGuard's pools are in use.
 */
@AutoConfiguration(after = PoolGuardAutoConfiguration.class, beforeName = {
		"org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
		"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@ConditionalOnBean(PoolGuardStartupCheck.class)
@EnableConfigurationProperties(PoolGuardProperties.class)
@Import({ PoolGuardMonitorAutoConfiguration.MonitorConfiguration.class,
		PoolGuardMonitorAutoConfiguration.LeakConfiguration.class,
		PoolGuardMonitorAutoConfiguration.MetricsConfiguration.class,
		PoolGuardMonitorAutoConfiguration.EndpointConfiguration.class })
public final class PoolGuardMonitorAutoConfiguration {

	/**
	 * The health status order PoolGuard applies unless {@code management.endpoint.health.status.order}
	 * is set: {@code WARNING} between {@code OUT_OF_SERVICE} and {@code UP}.
	 */
	public static final List<String> DEFAULT_STATUS_ORDER = List.of(Status.DOWN.getCode(),
			Status.OUT_OF_SERVICE.getCode(), ConnectionsHealthIndicator.WARNING.getCode(), Status.UP.getCode(),
			Status.UNKNOWN.getCode());

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
		ServerMonitor poolGuardServerMonitor(PoolGuardProperties properties, Environment environment,
				@AppPool GovernedHikariDataSource appPool, PoolGuardStartupCheck startupCheck,
				ApplicationEventPublisher eventPublisher) {
			PoolGuardProperties.Monitor monitorProperties = properties.getMonitor();
			PressureThresholds thresholds = thresholds(properties.getHealth());
			String applicationName = PoolGuardAutoConfiguration.applicationName(environment);
			String url = (monitorProperties.getUrl() != null) ? monitorProperties.getUrl() : appPool.getJdbcUrl();
			ServerConnector connector = new ServerConnector(url, appPool.getUsername(), appPool.getPassword(),
					ConnectionNames.of(applicationName, ServerMonitor.CONNECTION_ROLE,
							PoolGuardAutoConfiguration.instanceId(properties)));
			String applicationPart = ConnectionNames.applicationPart(applicationName,
					PoolGuardAutoConfiguration.instanceId(properties) != null);
			ServerMonitor monitor = new ServerMonitor(connector, applicationPart, monitorProperties.getInterval(),
					monitorProperties.getQueryTimeout(), thresholds, () -> waiters(appPool),
					eventPublisher::publishEvent, appPool.getPassword());
			if (startupCheck.getSettings() == null || !JdbcUrls.isPostgres(url)) {
				monitor.turnOff(JdbcUrls.redact(url) + " is not PostgreSQL");
			}
			return monitor;
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		@ConditionalOnProperty("poolguard.pgbouncer.admin-url")
		PgBouncerConsole poolGuardPgBouncerConsole(PoolGuardProperties properties, Environment environment,
				@AppPool GovernedHikariDataSource appPool) {
			PgBouncerConsole console = PoolGuardAutoConfiguration.console(properties.getPgbouncer(), appPool,
					PoolGuardAutoConfiguration.applicationName(environment),
					PoolGuardAutoConfiguration.instanceId(properties), properties.getMonitor().getInterval());
			console.start();
			return console;
		}

		@Bean
		@ConditionalOnMissingBean
		ConnectionsOverview poolGuardConnectionsOverview(ServerMonitor monitor,
				@AppPool GovernedHikariDataSource appPool, @BackgroundPool GovernedHikariDataSource backgroundPool,
				PoolGuardStartupCheck startupCheck, ObjectProvider<PgBouncerConsole> pgBouncerConsole) {
			ServerLimits limits = appPool.getLimits();
			return new ConnectionsOverview(monitor, appPool, backgroundPool, startupCheck.getBudget(),
					(limits != null) ? limits.idleInTransactionTimeout() : Duration.ZERO,
					startupCheck.getPgBouncerBudget(), pgBouncerConsole.getIfAvailable());
		}

		@Bean
		@ConditionalOnMissingBean(name = "poolGuardServerPressure")
		ServerPressure poolGuardServerPressure(ServerMonitor monitor,
				@BackgroundPool GovernedHikariDataSource backgroundPool) {
			return new ServerPressure(monitor, backgroundPool.getConnectionName());
		}

		private static int waiters(HikariDataSource pool) {
			return (pool.getHikariPoolMXBean() != null) ? pool.getHikariPoolMXBean().getThreadsAwaitingConnection()
					: 0;
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
		static class HealthConfiguration {

			@Bean
			@ConditionalOnEnabledHealthIndicator("connections")
			@ConditionalOnMissingBean(name = "connectionsHealthIndicator")
			ConnectionsHealthIndicator connectionsHealthIndicator(ConnectionsOverview overview) {
				return new ConnectionsHealthIndicator(overview);
			}

			@Bean
			@ConditionalOnEnabledHealthIndicator("db")
			@ConditionalOnBooleanProperty(name = "poolguard.health.replace-db-indicator", matchIfMissing = true)
			@ConditionalOnMissingBean(name = { "dbHealthIndicator", "dbHealthContributor" })
			HealthIndicator dbHealthContributor(ServerMonitor monitor, WorkloadRoutingDataSource dataSource) {
				if (monitor.getOffReason() != null) {
					// nothing to sample: fall back to Spring Boot's check on the app pool
					return new DataSourceHealthIndicator(dataSource.getPool(Workload.APP));
				}
				return new MonitoredDatabaseHealthIndicator(monitor);
			}

			@Bean
			@ConditionalOnClass(StatusAggregator.class)
			@ConditionalOnMissingBean
			StatusAggregator healthStatusAggregator(Environment environment) {
				List<String> order = Binder.get(environment)
					.bind("management.endpoint.health.status.order", Bindable.listOf(String.class))
					.orElse(List.of());
				return StatusAggregator.of(order.isEmpty() ? DEFAULT_STATUS_ORDER : order);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "poolguard.leak.enabled", matchIfMissing = true)
	static class LeakConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		ConnectionHolders poolGuardConnectionHolders(PoolGuardProperties properties) {
			ConnectionHolders holders = new ConnectionHolders(properties.getLeak().getThreshold(),
					properties.getLeak().isCaptureStack());
			holders.start();
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
		PoolGuardEndpoint poolGuardEndpoint(ObjectProvider<ConnectionsOverview> overview,
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
					String app = poolName(routing.getPool(Workload.APP), "app");
					String background = poolName(routing.getPool(Workload.BACKGROUND),
							"background");
					routing.setConnectionDecorator((workload, connection) -> holders.track(
							(workload == Workload.BACKGROUND) ? background : app,
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
