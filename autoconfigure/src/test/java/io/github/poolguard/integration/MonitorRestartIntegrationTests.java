package io.github.poolguard.integration;

import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardEndpointAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardHealthAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardLeakAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMetricsAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.test.RestartableServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor survives the server restarting, and reports a connection held past the leak
 * threshold with its holder thread.
 */
@ExtendWith(OutputCaptureExtension.class)
class MonitorRestartIntegrationTests {

	private static final String PASSWORD = "Rt5-restart-s3cret";

	private static RestartableServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				DataSourceAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + server.jdbcUrl(), "spring.datasource.username=poolguard_app",
				"spring.datasource.password=" + PASSWORD, "spring.application.name=restart-test",
				"poolguard.monitor.interval=100ms");

	@BeforeAll
	static void startServer() {
		server = RestartableServer.start();
		server.execute("CREATE ROLE poolguard_app LOGIN");
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void healthIsDownWithAReasonWhileTheServerIsDownAndUpAgainAfterItRestarts(CapturedOutput output) {
		this.runner.run((context) -> {
			HealthIndicator connections = context.getBean(ConnectionsHealthIndicator.class);
			HealthIndicator db = context.getBean("dbHealthContributor", HealthIndicator.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> connections.health().getStatus().equals(Status.UP));
			server.stop();
			try {
				await().atMost(Duration.ofSeconds(20))
					.until(() -> connections.health().getStatus().equals(Status.DOWN));
				Health down = connections.health();
				assertThat(down.getDetails().get("reason")).asString().containsAnyOf("monitor connection");
				assertThat(db.health().getStatus()).isEqualTo(Status.DOWN);
				assertThat(db.health().getDetails().get("reason")).asString().contains("monitor connection");
			}
			finally {
				server.restart();
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> connections.health().getStatus().equals(Status.UP));
			assertThat(db.health().getStatus()).isEqualTo(Status.UP);
			assertThat(server.countConnectionsStartingWith("restart-test:monitor:")).isOne();
		});
		assertThat(output).containsOnlyOnce("DOWN until it reaches the server again")
			.contains("server monitor reached")
			.doesNotContain(PASSWORD);
	}

	@Test
	void connectionHeldPastTheLeakThresholdIsReportedOnceWithItsHolderThread(CapturedOutput output) {
		this.runner.withPropertyValues("poolguard.leak.threshold=200ms", "poolguard.leak.capture-stack=true")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				ConnectionHolders holders = context.getBean(ConnectionHolders.class);
				Thread leaker = new Thread(() -> {
					try {
						Connection leaked = dataSource.getConnection();
						leaked.isValid(1);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}, "report-generator-7");
				leaker.start();
				leaker.join();
				await().atMost(Duration.ofSeconds(10)).until(() -> holders.getLeakCount() == 1);
				assertThat(holders.getHolders()).singleElement().satisfies((holder) -> {
					assertThat(holder.thread()).isEqualTo("report-generator-7");
					assertThat(holder.pool()).isEqualTo("restart-test:app");
					assertThat(holder.stack()).anySatisfy((frame) -> assertThat(frame)
						.contains("connectionHeldPastTheLeakThresholdIsReportedOnceWithItsHolderThread"));
				});
				try (Connection closedProperly = dataSource.getConnection()) {
					closedProperly.isValid(1);
				}
				holders.check();
				holders.check();
				assertThat(holders.getLeakCount()).isOne();
				assertThat(holders.getHolders()).hasSize(1);
			});
		assertThat(output).containsOnlyOnce("has been held for")
			.contains("by thread 'report-generator-7'")
			.contains("Connection borrowed here")
			.doesNotContain(PASSWORD);
	}

}
