package io.github.poolguard.integration;

import java.sql.Connection;
import java.time.Duration;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.ConnectionPeak;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The governed pools against a real PostgreSQL server, observed from {@code pg_stat_activity}.
 */
class GovernedPoolsIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class, DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.createDatabase("pools")));

	@Test
	void connectionsCarryThePoolsApplicationNames() {
		this.runner.withPropertyValues("spring.application.name=names-test").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			String sql = "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()";
			assertThat(jdbc.queryForObject(sql, String.class)).isEqualTo("names-test:app");
			assertThat(Workload.BACKGROUND.get(() -> jdbc.queryForObject(sql, String.class)))
				.isEqualTo("names-test:background");
		});
	}

	@Test
	void serverSideLimitsAreInForceOnEachPool() {
		this.runner.withPropertyValues("spring.application.name=limits-test").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SHOW statement_timeout", String.class)).isEqualTo("30s");
			assertThat(jdbc.queryForObject("SHOW idle_in_transaction_session_timeout", String.class)).isEqualTo("5min");
			assertThat(jdbc.queryForObject("SHOW lock_timeout", String.class)).isEqualTo("10s");
			assertThat(Workload.BACKGROUND.get(() -> jdbc.queryForObject("SHOW statement_timeout", String.class)))
				.isEqualTo("5min");
		});
	}

	@Test
	void statementPastTheTimeoutIsCancelledByTheServer() {
		this.runner.withPropertyValues("poolguard.app.statement-timeout=300ms").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThatExceptionOfType(QueryTimeoutException.class)
				.isThrownBy(() -> jdbc.execute("SELECT pg_sleep(5)"))
				.withMessageContaining("canceling statement due to statement timeout");
			assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isOne();
		});
	}

	@Test
	void idleTransactionPastItsLimitIsEndedAndThePoolRecovers() {
		this.runner
			.withPropertyValues("spring.application.name=idle-test", "poolguard.background.idle-in-transaction-timeout=500ms",
					"poolguard.background.hikari.maximum-pool-size=1")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				Workload.BACKGROUND.call(() -> {
					try (Connection connection = dataSource.getConnection()) {
						connection.setAutoCommit(false);
						try (Statement statement = connection.createStatement()) {
							statement.execute("SELECT 1");
							Thread.sleep(1500);
							assertThatThrownBy(() -> statement.execute("SELECT 1")).isInstanceOf(SQLException.class);
						}
					}
					return null;
				});
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				assertThat(Workload.BACKGROUND.get(() -> jdbc.queryForObject("SELECT 2", Integer.class))).isEqualTo(2);
			});
	}

	@Test
	void twentyThreadsOnTheBackgroundPoolNeverOpenMoreThanItsMaximum() {
		this.runner.withPropertyValues("spring.application.name=push-test").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			ConnectionPeak peak = server.samplePeak("push-test:background");
			ExecutorService threads = Executors.newFixedThreadPool(20);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> results = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				results.add(threads.submit(() -> {
					start.await();
					return Workload.BACKGROUND.get(() -> jdbc.queryForObject("SELECT pg_sleep(0.2)", Object.class));
				}));
			}
			start.countDown();
			for (Future<?> result : results) {
				result.get(60, TimeUnit.SECONDS);
			}
			peak.close();
			threads.shutdown();
			assertThat(peak.max()).isEqualTo(3);
			assertThat(server.countConnections("push-test:app")).isLessThanOrEqualTo(10);
		});
	}

	@Test
	void noConnectionWithTheApplicationsNamesRemainsAfterClose() {
		this.runner.withPropertyValues("spring.application.name=close-test", "spring.datasource.hikari.minimum-idle=4")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				jdbc.queryForObject("SELECT 1", Integer.class);
				Workload.BACKGROUND.run(() -> jdbc.queryForObject("SELECT 1", Integer.class));
				assertThat(server.countConnectionsStartingWith("close-test:")).isGreaterThanOrEqualTo(2);
			});
		Awaitility.await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(server.countConnectionsStartingWith("close-test:")).isZero());
	}

}
