package io.github.poolguard.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.internal.assessment.FleetLog;
import io.github.poolguard.internal.assessment.MonitoredConnectionsAssessment;
import io.github.poolguard.internal.assessment.ReplicaLagPressure;
import io.github.poolguard.internal.assessment.ServerPressure;
import io.github.poolguard.internal.budget.ConnectionBudget;
import io.github.poolguard.internal.budget.PgBouncerBudget;
import io.github.poolguard.internal.budget.ServerBudget;
import io.github.poolguard.internal.fleet.FleetSizing;
import io.github.poolguard.internal.guard.ExtraPoolGuard;
import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.monitor.PressureThresholds;
import io.github.poolguard.internal.monitor.ReplicaLagReader;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.pgbouncer.PgBouncerConsole;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ConnectionNaming;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.internal.pool.ServerLimits;
import io.github.poolguard.routing.BackgroundPool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration for PoolGuard's view of its connections: the one scheduler of periodic
 * work, the server monitor and its pressure events, the PgBouncer console, and the assessment
 * that health ({@link PoolGuardHealthAutoConfiguration}), metrics
 * ({@link PoolGuardMetricsAutoConfiguration}) and the endpoint
 * ({@link PoolGuardEndpointAutoConfiguration}) read. Applies when PoolGuard governs the
 * application's {@code DataSource}.
 */
@AutoConfiguration(after = PoolGuardAutoConfiguration.class, beforeName = {
		"org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
		"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@ConditionalOnBean(GovernedAppPool.class)
@EnableConfigurationProperties(PoolGuardProperties.class)
@Import(PoolGuardMonitorAutoConfiguration.MonitorConfiguration.class)
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
	static class MonitorConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		ServerMonitor poolGuardServerMonitor(PoolGuardProperties properties, ConnectionNaming naming,
				GovernedAppPool governedAppPool, @BackgroundPool HikariDataSource backgroundPool,
				PoolGuardStartupCheck startupCheck, ApplicationEventPublisher eventPublisher,
				Housekeeping housekeeping, ObjectProvider<FleetSizing> fleetSizing) {
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
			FleetLog fleetLog = fleetLog(startupCheck);
			// read when the count changes, after fleet sharing (which needs this monitor) exists
			fleetLog.sharingWhen(() -> fleetSizing.getIfAvailable() != null);
			monitor.onInstancesChanged(fleetLog::instancesChanged);
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
		@ConditionalOnMissingBean(ConnectionsAssessment.class)
		MonitoredConnectionsAssessment poolGuardConnectionsOverview(ServerMonitor monitor,
				GovernedAppPool appPool, @BackgroundPool HikariDataSource backgroundPool,
				PoolGuardStartupCheck startupCheck, ObjectProvider<PgBouncerConsole> pgBouncerConsole,
				ObjectProvider<ExtraPoolGuard> extraPoolGuard, ObjectProvider<ReplicaLagPressure> replicaLag) {
			ServerLimits limits = appPool.limits();
			MonitoredConnectionsAssessment assessment = new MonitoredConnectionsAssessment(monitor, appPool.hikari(), backgroundPool, startupCheck::getBudget,
					(limits != null) ? limits.idleInTransactionTimeout() : Duration.ZERO,
					startupCheck.getPgBouncerBudget(), pgBouncerConsole.getIfAvailable(),
					() -> otherPools(extraPoolGuard));
			replicaLag.ifAvailable((pressure) -> assessment.showReplicas(pressure::details));
			return assessment;
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
			return new ServerPressure(monitor,
					ConnectionNames.of(naming.application(), ConnectionNames.BACKGROUND));
		}

		/**
		 * Reads the streaming replicas' lag on the monitor's connection, at every sample.
		 * @param monitor the monitor
		 * @return the reader
		 */
		@Bean
		@ConditionalOnMissingBean
		ReplicaLagReader poolGuardReplicaLagReader(ServerMonitor monitor) {
			ReplicaLagReader reader = new ReplicaLagReader(Clock.systemUTC());
			monitor.addConnectionReader(reader);
			return reader;
		}

		@Bean
		@ConditionalOnMissingBean(name = "poolGuardReplicaLagPressure")
		ReplicaLagPressure poolGuardReplicaLagPressure(ReplicaLagReader reader, PoolGuardProperties properties) {
			return new ReplicaLagPressure(reader, properties.getBatch().getMaxReplicaLag());
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

	}

}
