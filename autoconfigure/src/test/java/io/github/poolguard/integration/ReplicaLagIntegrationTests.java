package io.github.poolguard.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.pressure.PressureSource;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.StreamingStandby;
import io.github.poolguard.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replica lag as a pressure signal, against a real primary and a streaming standby: a standby
 * that stops replaying makes batch work hold with a sentence naming it, and batch work goes on
 * once it replays again; a role without {@code pg_monitor} is told the {@code GRANT} once; a
 * server without replicas changes nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplicaLagIntegrationTests {

	private static final String STANDBY = "lag-standby";

	private static StreamingStandby servers;

	@BeforeAll
	static void startPrimaryAndStandby() {
		servers = StreamingStandby.start(STANDBY);
		await().atMost(Duration.ofSeconds(60)).until(servers::isStreaming);
		servers.executeOnPrimary("CREATE TABLE lag_item (id int)");
		servers.executeOnPrimary("CREATE ROLE lag_reader LOGIN");
		servers.executeOnPrimary("GRANT ALL ON lag_item TO lag_reader");
	}

	@AfterAll
	static void stopServers() {
		if (servers != null) {
			servers.close();
		}
	}

	private static ConfigurableApplicationContext start(String name, String url, String username, String... more) {
		List<String> properties = new java.util.ArrayList<>(List.of("spring.datasource.url=" + url,
				"spring.datasource.username=" + username, "spring.datasource.password=unused-with-trust",
				"spring.application.name=" + name, "poolguard.monitor.interval=200ms",
				"poolguard.batch.max-replica-lag=1s", "poolguard.batch.max-yield=5m",
				"poolguard.batch.delay-between-chunks=20ms"));
		properties.addAll(List.of(more));
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	@Test
	void whenTheStandbyStopsReplayingThenBatchWorkHoldsNamingItAndGoesOnWhenItReplays(CapturedOutput output)
			throws Exception {
		try (ConfigurableApplicationContext context = start("lag-test", servers.primaryUrl("postgres"), "postgres")) {
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			PressureSource pressure = context.getBean("poolGuardReplicaLagPressure", PressureSource.class);
			ConnectionsHealthIndicator health = context.getBean(ConnectionsHealthIndicator.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			JdbcClient jdbc = JdbcClient.create(context.getBean(javax.sql.DataSource.class));
			await().atMost(Duration.ofSeconds(20)).until(() -> replicas(health) != null
					&& replicas(health).containsKey(STANDBY));
			assertThat(registry.find("poolguard.replica.lag").tag("replica", STANDBY).gauge()).isNotNull();
			AtomicInteger started = new AtomicInteger();
			BatchRun<Integer> run = executor.run("lag-batch", IntStream.range(0, 1_000_000).boxed().toList(),
					(item, db) -> {
						started.incrementAndGet();
						db.database(() -> jdbc.sql("INSERT INTO lag_item VALUES (?)").param(item).update());
						Thread.sleep(5);
					});
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> started.get() >= 50);
				servers.pauseReplay();
				// the executor asks its pressure sources before every item: once the monitor's
				// reading is past the limit, at most the items already asking (max-concurrency 2) start
				await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
					.until(() -> pressure.currentPressure() != null);
				int atLimit = started.get();
				await().atMost(Duration.ofSeconds(10)).until(() -> run.progress().state() == BatchState.YIELDING);
				int held = started.get();
				assertThat(held - atLimit).as("items started after the lag passed the limit").isLessThanOrEqualTo(2);
				await().during(Duration.ofSeconds(1))
					.atMost(Duration.ofSeconds(10))
					.until(() -> started.get() == held && run.progress().state() == BatchState.YIELDING);
				assertThat(pressure.currentPressure()).contains("replica '" + STANDBY + "'")
					.contains("poolguard.batch.max-replica-lag");
				assertThat(replicas(health)).extractingByKey(STANDBY).asString().contains("replayStalledFor");
				assertThat(registry.get("poolguard.replica.lag").tag("replica", STANDBY).gauge().value())
					.isGreaterThan(1.0);
				servers.resumeReplay();
				await().atMost(Duration.ofSeconds(30)).until(() -> started.get() > held + 50);
				assertThat(pressure.currentPressure()).isNull();
			}
			finally {
				run.cancel();
			}
			BatchReport<Integer> report = run.await(Duration.ofSeconds(30));
			assertThat(report.progress().yields()).isGreaterThanOrEqualTo(1);
		}
		assertThat(output).containsPattern("lag-batch: pausing before the next (item|chunk): replica '" + STANDBY
				+ "' \\(127\\.0\\.0\\.1\\) (lags the primary by|has not replayed for) ")
			.contains("lag-batch: resuming after pausing for")
			.doesNotContain("GRANT pg_monitor");
	}

	@Test
	void aRoleWithoutPgMonitorIsToldTheGrantOnceAndBatchWorkNeverHoldsForLag(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = start("lag-reader", servers.primaryUrl("postgres"),
				"lag_reader")) {
			ConnectionsHealthIndicator health = context.getBean(ConnectionsHealthIndicator.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> replicas(health) != null
					&& String.valueOf(replicas(health).get(STANDBY)).contains("unknown"));
			await().atMost(Duration.ofSeconds(20)).until(() -> output.toString().contains("GRANT pg_monitor"));
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			BatchReport<Integer> report = executor.run("lag-blind", List.of(1, 2, 3), (item) -> {
			}).await(Duration.ofSeconds(30));
			assertThat(report.progress().yields()).isZero();
		}
		assertThat(output).containsOnlyOnce("GRANT pg_monitor TO \"lag_reader\";")
			.contains("role 'lag_reader' may not read their lag");
	}

	@Test
	void withoutAReplicaNothingChanges(CapturedOutput output) throws Exception {
		PostgresServer server = TestPostgres.shared();
		String url = server.createDatabase("nolag");
		try (ConfigurableApplicationContext context = start("no-lag", url, server.username(),
				"spring.datasource.password=" + server.password())) {
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			ConnectionsHealthIndicator health = context.getBean(ConnectionsHealthIndicator.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> health.health().getDetails().containsKey("server"));
			BatchReport<Integer> report = executor.run("no-lag-batch", IntStream.range(0, 60).boxed().toList(),
					(item) -> Thread.sleep(5)).await(Duration.ofSeconds(60));
			assertThat(report.progress().succeeded()).isEqualTo(60);
			assertThat(report.progress().yields()).isZero();
			assertThat(health.health().getDetails()).doesNotContainKey("replicas");
			assertThat(context.getBean(MeterRegistry.class).find("poolguard.replica.lag").gauges()).isEmpty();
		}
		assertThat(output).doesNotContain("ReplicaLagReader").doesNotContain("max-replica-lag");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> replicas(ConnectionsHealthIndicator health) {
		return (Map<String, Object>) health.health().getDetails().get("replicas");
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	static class App {

	}

}
