package io.github.poolguard.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pooled backend terminated by the server (an operator's {@code pg_terminate_backend}, a
 * failover) right after use: PoolGuard's wrapping of connections keeps HikariCP evicting each dead
 * connection on its first failure, so the pool recovers without a restart.
 */
class BackendsKilledIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class, DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.jdbcUrl()))
		.withPropertyValues("spring.application.name=killed-test", "spring.datasource.hikari.minimum-idle=6",
				"spring.datasource.hikari.maximum-pool-size=6");

	@Test
	void afterEveryBackendIsKilledEachDeadConnectionFailsAtMostOnceAndThePoolRecovers() {
		this.runner.run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			ExecutorService clients = Executors.newFixedThreadPool(6);
			List<Future<Integer>> warm = new ArrayList<>();
			CountDownLatch together = new CountDownLatch(6);
			for (int i = 0; i < 6; i++) {
				warm.add(clients.submit(() -> {
					together.countDown();
					together.await();
					return jdbc.queryForObject("SELECT 1 FROM pg_sleep(0.1)", Integer.class);
				}));
			}
			for (Future<Integer> result : warm) {
				result.get(30, TimeUnit.SECONDS);
			}
			// A request may reuse a connection another has returned; minimum-idle fills the pool to 6.
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> server.countConnections("killed-test:app") == 6);
			List<Integer> killed = jdbc.queryForList(
					"SELECT pid FROM pg_stat_activity WHERE application_name = 'killed-test:app'", Integer.class);
			server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'killed-test:app'");
			int failures = 0;
			int cleanRound = -1;
			for (int round = 0; round < 10 && cleanRound < 0; round++) {
				int failed = concurrentRequestsFailing(clients, jdbc);
				failures += failed;
				cleanRound = (failed == 0) ? round : -1;
			}
			assertThat(failures).as("each dead connection fails at most one request, then is evicted")
				.isLessThanOrEqualTo(6);
			assertThat(cleanRound).as("a round of six concurrent requests all succeeding").isNotNegative();
			assertThat(jdbc.queryForList(
					"SELECT pid FROM pg_stat_activity WHERE application_name = 'killed-test:app'", Integer.class))
				.as("every connection now is a new backend")
				.doesNotContainAnyElementsOf(killed);
			clients.shutdown();
		});
	}

	private static int concurrentRequestsFailing(ExecutorService clients, JdbcTemplate jdbc) throws Exception {
		List<Future<Integer>> requests = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			requests.add(clients.submit(() -> jdbc.queryForObject("SELECT 42", Integer.class)));
		}
		int failed = 0;
		for (Future<Integer> request : requests) {
			try {
				assertThat(request.get(30, TimeUnit.SECONDS)).isEqualTo(42);
			}
			catch (ExecutionException ex) {
				failed++;
			}
		}
		return failed;
	}

}
