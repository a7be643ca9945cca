package io.github.poolguard.integration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardEndpointAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardHealthAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardLeakAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMetricsAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
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
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A server that hangs, and a transaction that stalls: nobody waits forever, health tells the
 * truth, and the pool recovers.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerFaultsIntegrationTests {

	private static RestartableServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + server.jdbcUrl(), "spring.datasource.username=fault_app",
				"spring.datasource.password=unused-with-trust-auth", "poolguard.monitor.interval=200ms", "poolguard.monitor.query-timeout=1s");

	@BeforeAll
	static void startServer() {
		server = RestartableServer.start();
		server.execute("CREATE ROLE fault_app LOGIN");
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.thaw();
			server.close();
		}
	}

	@Test
	void aHungServerCostsABorrowerAtMostTheSocketTimeoutAndHealthIsDownUntilItResumes() {
		this.runner
			.withPropertyValues("spring.application.name=hang-test", "poolguard.app.statement-timeout=1s",
					"spring.datasource.hikari.connection-timeout=3000")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				HealthIndicator connections = context.getBean(ConnectionsHealthIndicator.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> connections.health().getStatus().equals(Status.UP));
				long socketTimeoutSeconds = 1 + 15;
				try (Connection borrowed = dataSource.getConnection()) {
					server.freeze();
					long start = System.nanoTime();
					try (Statement statement = borrowed.createStatement()) {
						assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute("SELECT 1"));
					}
					Duration waited = Duration.ofNanos(System.nanoTime() - start);
					System.out.println("A borrower waited " + waited.toMillis() + " ms on the hung server");
					assertThat(waited).as("a borrower's wait on a hung server")
						.isLessThan(Duration.ofSeconds(socketTimeoutSeconds + 10));
					await().atMost(Duration.ofSeconds(10))
						.until(() -> connections.health().getStatus().equals(Status.DOWN));
					Health down = connections.health();
					assertThat(down.getDetails().get("reason")).asString().isNotBlank();
				}
				finally {
					server.thaw();
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> connections.health().getStatus().equals(Status.UP));
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
					.until(() -> jdbc.queryForObject("SELECT 1", Integer.class) == 1);
			});
	}

	@Test
	void aStalledTransactionIsCutByTheServerItsHolderIsReportedAndThePoolRecovers(CapturedOutput output) {
		this.runner
			.withPropertyValues("spring.application.name=stall-test", "poolguard.app.idle-in-transaction-timeout=1500ms",
					"poolguard.leak.threshold=500ms", "spring.datasource.hikari.maximum-pool-size=2")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				AtomicReference<SQLException> cut = new AtomicReference<>();
				Thread stalled = new Thread(() -> {
					try (Connection connection = dataSource.getConnection()) {
						connection.setAutoCommit(false);
						try (Statement statement = connection.createStatement()) {
							statement.execute("SELECT 1");
							Thread.sleep(2500);
							statement.execute("SELECT 1");
						}
					}
					catch (SQLException ex) {
						cut.set(ex);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}, "nightly-report-3");
				stalled.start();
				stalled.join(10_000);
				assertThat(cut).as("the server ended the stalled session").doesNotHaveNullValue();
				assertThat(cut.get().getSQLState()).matches("08.*|25P03");
				assertThat(output).contains("has been held for").contains("by thread 'nightly-report-3'");
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				for (int i = 0; i < 4; i++) {
					assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isOne();
				}
			});
	}

}
