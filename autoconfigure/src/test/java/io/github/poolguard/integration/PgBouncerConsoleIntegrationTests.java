package io.github.poolguard.integration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardHealthAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMetricsAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.test.PgBouncerProcess;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PoolGuard reads the admin console of the PgBouncer the machine has (Debian 12's 1.18), which
 * reports its own version to the driver and refuses the {@code SET}s pgjdbc sends to servers
 * older than 12. PgBouncer pools in transaction mode with 2 server connections for the
 * database, and has an admin user of its own that PostgreSQL does not know.
 */
@ExtendWith(OutputCaptureExtension.class)
class PgBouncerConsoleIntegrationTests {

	private static final int POOL_SIZE = 2;

	private static final String ADMIN = "poolguard_console";

	private static final String ADMIN_PASSWORD = "console-pw-5c1e";

	private static PostgresServer server;

	private static PgBouncerProcess pgbouncer;

	private static String directUrl;

	private static String database;

	@BeforeAll
	static void startPgBouncer() {
		server = TestPostgres.shared();
		directUrl = server.createDatabase("console");
		database = directUrl.substring(directUrl.lastIndexOf('/') + 1);
		pgbouncer = PgBouncerProcess.startWithAdmin(server, "transaction", POOL_SIZE, ADMIN, ADMIN_PASSWORD);
	}

	@AfterAll
	static void stopPgBouncer() {
		if (pgbouncer != null) {
			pgbouncer.close();
		}
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
					PoolGuardMonitorAutoConfiguration.class, PoolGuardHealthAutoConfiguration.class,
					PoolGuardMetricsAutoConfiguration.class, DataSourceAutoConfiguration.class,
					HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("spring.application.name=console",
					"spring.datasource.url=" + pgbouncer.jdbcUrl(database),
					"spring.datasource.username=" + server.username(), "spring.datasource.password=" + server.password(),
					"spring.datasource.hikari.maximum-pool-size=3", "poolguard.background.hikari.maximum-pool-size=1",
					"poolguard.pgbouncer.mode=transaction", "poolguard.monitor.url=" + directUrl,
					// no keepalive query of the pools' own joins the clients waiting in PgBouncer
					"spring.datasource.hikari.keepalive-time=0", "poolguard.background.hikari.keepalive-time=0",
					"poolguard.monitor.interval=200ms");
	}

	@Test
	void whenPgBouncersPoolIsExhaustedHealthAndMetricsShowTheClientsWaitingInIt(CapturedOutput output)
			throws Exception {
		runner().withPropertyValues("poolguard.pgbouncer.admin-url=" + pgbouncer.adminUrl(),
				"poolguard.pgbouncer.admin-username=" + ADMIN, "poolguard.pgbouncer.admin-password=" + ADMIN_PASSWORD,
				// meant for the server; the console connection must not take it from the pool
				"spring.datasource.hikari.data-source-properties.assumeMinServerVersion=12")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// pool-size is unset: startup read it from SHOW DATABASES / SHOW CONFIG
				assertThat(output).contains("connection budget behind PgBouncer: PgBouncer pool_size " + POOL_SIZE + " ");
				await().atMost(Duration.ofSeconds(30)).until(() -> pgbouncerDetail(context, "clientsWaiting") == 0);
				List<Connection> holders = new ArrayList<>();
				ExecutorService waiters = Executors.newFixedThreadPool(2);
				try {
					// a transaction left open keeps its server connection in transaction mode
					for (int i = 0; i < POOL_SIZE; i++) {
						Connection holder = connectThroughPgBouncer();
						holders.add(holder);
						holder.setAutoCommit(false);
						try (Statement statement = holder.createStatement()) {
							statement.execute("SELECT 1");
						}
					}
					List<Future<?>> waiting = new ArrayList<>();
					for (int i = 0; i < 2; i++) {
						waiting.add(waiters.submit(() -> {
							try (Connection client = connectThroughPgBouncer();
									Statement statement = client.createStatement()) {
								statement.execute("SELECT 1");
							}
							return null;
						}));
					}
					await().atMost(Duration.ofSeconds(30)).until(() -> pgbouncerDetail(context, "clientsWaiting") == 2);
					Map<String, Object> details = pgbouncerDetails(context);
					assertThat(details).doesNotContainKey("failure")
						.containsEntry("clientsWaiting", 2)
						.containsEntry("serversActive", POOL_SIZE)
						.containsEntry("serversIdle", 0)
						.containsKeys("clientsActive", "maxWait", "sampledAt");
					assertThat((int) details.get("clientsActive")).isGreaterThanOrEqualTo(POOL_SIZE);
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(gauge(registry, "poolguard.pgbouncer.clients.waiting")).isEqualTo(2.0);
					await().atMost(Duration.ofSeconds(30))
						.until(() -> gauge(registry, "poolguard.pgbouncer.wait.max") > 0);
					// past a second of waiting it is a warning of its own
					await().atMost(Duration.ofSeconds(30)).until(() -> warnings(context).contains(
							"2 client connection(s) wait in PgBouncer for a server connection"));
					for (Connection holder : holders) {
						holder.commit();
					}
					for (Future<?> client : waiting) {
						client.get(30, TimeUnit.SECONDS);
					}
					await().atMost(Duration.ofSeconds(30)).until(() -> pgbouncerDetail(context, "clientsWaiting") == 0);
					assertThat(gauge(registry, "poolguard.pgbouncer.clients.waiting")).isEqualTo(0.0);
				}
				finally {
					waiters.shutdownNow();
					closeAll(holders);
				}
			});
		assertThat(output).as("PgBouncer log: %s", pgbouncer.output())
			.doesNotContain("SET failed")
			.doesNotContain("cannot read PgBouncer's admin console")
			.doesNotContain(ADMIN_PASSWORD);
	}

	@Test
	void aRefusedConsoleLoginIsReportedWithoutThePasswordOrTheSettingsAddedForTheConsole(CapturedOutput output) {
		String wrong = "wrong-pw-7f3a";
		runner().withPropertyValues("poolguard.pgbouncer.admin-url=" + pgbouncer.adminUrl() + "?password=" + wrong,
				"poolguard.pgbouncer.admin-username=" + ADMIN)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Map<String, Object> details = pgbouncerDetails(context);
				assertThat(details).doesNotContainKey("clientsWaiting");
				assertThat(details.get("failure")).asString()
					.startsWith("cannot read PgBouncer's admin console at " + pgbouncer.adminUrl()
							+ "?password=****** as user '" + ADMIN + "': ")
					.contains("password authentication failed")
					.doesNotContain(wrong)
					.doesNotContain("replication");
			});
		// the first failed reading is logged, not only a failure after a success
		assertThat(output).contains("PoolGuard: cannot read PgBouncer's admin console at " + pgbouncer.adminUrl()
				+ "?password=****** as user '" + ADMIN + "'")
			.contains("set poolguard.pgbouncer.pool-size to check the budget")
			.doesNotContain(wrong);
	}

	private static Connection connectThroughPgBouncer() throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", server.username());
		properties.setProperty("password", server.password());
		properties.setProperty("ApplicationName", "poolguard-test-client");
		return DriverManager.getConnection(pgbouncer.jdbcUrl(database), properties);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> pgbouncerDetails(AssertableApplicationContext context) {
		Object details = context.getBean(ConnectionsHealthIndicator.class).health().getDetails().get("pgbouncer");
		return (details instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	// -1 until the console has been read
	private static int pgbouncerDetail(AssertableApplicationContext context, String name) {
		return (pgbouncerDetails(context).get(name) instanceof Integer value) ? value : -1;
	}

	private static String warnings(AssertableApplicationContext context) {
		return String.valueOf(context.getBean(ConnectionsHealthIndicator.class).health().getDetails().get("warnings"));
	}

	private static double gauge(MeterRegistry registry, String name) {
		Gauge gauge = registry.find(name).gauge();
		return (gauge != null) ? gauge.value() : Double.NaN;
	}

	private static void closeAll(List<Connection> connections) {
		for (Connection connection : connections) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// closed already
			}
		}
	}

}
