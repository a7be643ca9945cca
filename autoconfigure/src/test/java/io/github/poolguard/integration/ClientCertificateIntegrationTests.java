package io.github.poolguard.integration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardBatchAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardEndpointAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardHealthAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardLeakAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMetricsAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardStartupCheck;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.FailureAnalyses;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestCertificates;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A server that accepts only client-certificate logins over TLS, with the certificate set the
 * Spring Boot way, in {@code spring.datasource.hikari.data-source-properties}: the startup
 * check, the monitor, batch claims and both pools connect with it, as {@code pg_stat_ssl} shows.
 */
class ClientCertificateIntegrationTests {

	private static TestCertificates certificates;

	private static PostgresServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				PoolGuardBatchAutoConfiguration.class,
				DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class));

	@BeforeAll
	static void startServer() {
		certificates = TestCertificates.generate("postgres");
		server = TestPostgres.startWithClientCertificates(certificates);
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void serverRefusesALoginWithoutTheCertificate() {
		Properties plain = new Properties();
		plain.setProperty("user", server.username());
		plain.setProperty("password", server.password());
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), plain).close());
	}

	@Test
	void withoutTheCertificateStartupFailsNamingTheDataSourceProperties() {
		this.runner
			.withPropertyValues("spring.datasource.url=" + server.jdbcUrl(),
					"spring.datasource.username=" + server.username())
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("28000");
				assertThat(analysis.getAction()).contains("spring.datasource.hikari.data-source-properties.sslmode")
					.contains(".sslcert");
			});
	}

	@Test
	void monitorStartupCheckAndBothPoolsConnectWithTheCertificateOverTls() {
		List<String> properties = new ArrayList<>(List.of("spring.application.name=tls",
				"spring.datasource.url=" + server.jdbcUrl(), "spring.datasource.username=" + server.username(),
				"poolguard.monitor.interval=1s"));
		// Until the background pool is derived from the app pool, it takes the same settings here.
		for (String prefix : List.of("spring.datasource.hikari", "poolguard.background.hikari")) {
			certificates.clientProperties()
				.forEach((name, value) -> properties.add(prefix + ".data-source-properties." + name + "=" + value));
		}
		this.runner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PoolGuardStartupCheck.class).getSettings()).isNotNull();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isOne();
			assertThat(Workload.BACKGROUND.get(() -> jdbc.queryForObject("SELECT 1", Integer.class))).isOne();
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> sslByRole().keySet().stream().anyMatch((name) -> name.startsWith("tls:monitor")));
			Map<String, Boolean> ssl = sslByRole();
			assertThat(ssl).containsEntry("tls:app", true).containsEntry("tls:background", true);
			assertThat(ssl.entrySet()).filteredOn((entry) -> entry.getKey().startsWith("tls:monitor"))
				.singleElement()
				.satisfies((entry) -> assertThat(entry.getValue()).isTrue());
			// an exclusive batch run holds its claim on a connection of its own while it runs
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			CountDownLatch release = new CountDownLatch(1);
			BatchRun<Integer> run = executor.run("tls-exclusive", List.of(1),
					executor.getDefaults().withExclusive(true), (item) -> release.await(30, TimeUnit.SECONDS));
			try {
				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.until(() -> sslByRole().keySet().stream().anyMatch((name) -> name.startsWith("tls:claim")));
				assertThat(sslByRole().entrySet()).filteredOn((entry) -> entry.getKey().startsWith("tls:claim"))
					.singleElement()
					.satisfies((entry) -> assertThat(entry.getValue()).isTrue());
			}
			finally {
				release.countDown();
			}
			assertThat(run.await(Duration.ofSeconds(30)).failures()).isEmpty();
		});
	}

	// application_name → whether every connection of that name uses TLS, seen on a connection
	// of the test's own (which logs in with the certificate too)
	private static Map<String, Boolean> sslByRole() throws SQLException {
		Properties properties = certificates.clientProperties();
		properties.setProperty("user", server.username());
		Map<String, Boolean> ssl = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT a.application_name, bool_and(s.ssl)"
						+ " FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid"
						+ " WHERE a.application_name LIKE 'tls:%' GROUP BY a.application_name")) {
			while (rs.next()) {
				ssl.put(rs.getString(1), rs.getBoolean(2));
			}
		}
		return ssl;
	}

}
