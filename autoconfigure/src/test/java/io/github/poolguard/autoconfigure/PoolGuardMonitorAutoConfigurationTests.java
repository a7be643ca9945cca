package io.github.poolguard.autoconfigure;

import java.time.Duration;
import java.util.Set;

import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.health.MonitoredDatabaseHealthIndicator;
import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Conditions and back-offs of {@link PoolGuardMonitorAutoConfiguration}.
 */
class PoolGuardMonitorAutoConfigurationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				DataSourceAutoConfiguration.class,
				DataSourceHealthContributorAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.jdbcUrl()));

	@Test
	void onH2TheMonitorIsOffConnectionsAreUpAndDbIsSpringBootsCheck() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
					PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				DataSourceAutoConfiguration.class,
					DataSourceHealthContributorAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:monitor;DB_CLOSE_DELAY=-1")
			.run((context) -> {
				assertThat(context.getBean(ServerMonitor.class).getOffReason()).contains("is not PostgreSQL");
				HealthIndicator connections = context.getBean(ConnectionsHealthIndicator.class);
				assertThat(connections.health().getStatus()).isEqualTo(Status.UP);
				assertThat(connections.health().getDetails()).containsKey("monitor").containsKey("pools");
				assertThat(context.getBean("dbHealthContributor")).isInstanceOf(DataSourceHealthIndicator.class);
				assertThat(context).hasSingleBean(ConnectionHolders.class);
			});
	}

	@Test
	void connectingAsASuperuserIsAWarningInTheDetailsNotAStatus() throws Exception {
		try (java.sql.Connection connection = TestPostgres.shared().connect("superuser-check");
				java.sql.ResultSet rs = connection.createStatement()
					.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
			rs.next();
			org.junit.jupiter.api.Assumptions.assumeTrue(rs.getBoolean(1),
					"the test server's login is not a superuser, so there is no superuser warning to see");
		}
		this.runner.run((context) -> {
			HealthIndicator connections = context.getBean(ConnectionsHealthIndicator.class);
			await().atMost(Duration.ofSeconds(10))
				// no "warnings" detail before the first sample: a condition that cannot throw
				.until(() -> String.valueOf(connections.health().getDetails().get("warnings")).contains("superuser"));
			assertThat(connections.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void replaceDbIndicatorFalseLeavesSpringBootsDbContributor() {
		this.runner.withPropertyValues("poolguard.health.replace-db-indicator=false").run((context) -> {
			assertThat(context).hasSingleBean(ConnectionsHealthIndicator.class);
			assertThat(context.getBean("dbHealthContributor"))
				.isNotInstanceOf(MonitoredDatabaseHealthIndicator.class);
		});
	}

	@Test
	void monitorDisabledLeavesNoMonitorAndNoConnectionsIndicator() {
		this.runner.withPropertyValues("poolguard.monitor.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ServerMonitor.class)
				.doesNotHaveBean(ConnectionsHealthIndicator.class)
				.hasSingleBean(ConnectionHolders.class);
		});
	}

	@Test
	void connectionsGroupRanksWarningWhileTheApplicationKeepsSpringBootsStatusOrder() {
		this.runner.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean("poolGuardHealthStatusAggregator");
				HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
				Set<Status> statuses = Set.of(Status.UP, ConnectionsHealthIndicator.WARNING);
				assertThat(groups.getPrimary().getStatusAggregator().getAggregateStatus(statuses))
					.isEqualTo(Status.UP);
				HealthEndpointGroup connections = groups.get("connections");
				assertThat(connections).isNotNull();
				assertThat(connections.isMember("poolGuardConnections")).isTrue();
				assertThat(connections.isMember("db")).isFalse();
				assertThat(connections.getStatusAggregator().getAggregateStatus(statuses))
					.isEqualTo(ConnectionsHealthIndicator.WARNING);
				assertThat(connections.getStatusAggregator()
					.getAggregateStatus(Set.of(Status.DOWN, ConnectionsHealthIndicator.WARNING))).isEqualTo(Status.DOWN);
				assertThat(connections.getHttpCodeStatusMapper().getStatusCode(ConnectionsHealthIndicator.WARNING))
					.isEqualTo(200);
			});
	}

	@Test
	void withoutTheConnectionsIndicatorThereIsNoConnectionsGroupAndStartupSucceeds() {
		this.runner.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
			.withPropertyValues("management.health.connections.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ConnectionsHealthIndicator.class);
				assertThat(context.getBean(HealthEndpointGroups.class).get("connections")).isNull();
			});
	}

}
