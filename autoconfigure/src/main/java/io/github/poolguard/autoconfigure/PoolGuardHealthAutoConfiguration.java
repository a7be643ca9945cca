package io.github.poolguard.autoconfigure;

import javax.sql.DataSource;

import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.health.MonitoredDatabaseHealthIndicator;
import io.github.poolguard.internal.health.ConnectionsHealthEndpointGroup;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.routing.AppPool;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;

import static io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration.HEALTH_INDICATOR_BEAN_NAME;

/**
 * Auto-configuration for PoolGuard's health: the {@code connections} indicator and group, and a
 * {@code db} indicator that reads the assessment instead of borrowing a pool connection as Spring
 * Boot's does. Applies while the server monitor runs.
 */
@AutoConfiguration(after = PoolGuardMonitorAutoConfiguration.class, beforeName = {
		"org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
		"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ GovernedAppPool.class, ServerMonitor.class, ConnectionsAssessment.class })
public final class PoolGuardHealthAutoConfiguration {

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
