package io.github.poolguard.integration.springbatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 29 as it was reported: three instances of a Spring Batch application share a server of
 * {@code max_connections} 30. The fleet shrinks each background pool to its floor, 2 where Spring
 * Batch steps are governed, and every instance's cursor-reader job completes with all its rows.
 */
class CursorReaderJobFleetIntegrationTests {

	private static PostgresServer server;

	private final ExecutorService launchers = Executors.newFixedThreadPool(3);

	@BeforeAll
	static void startServer() {
		if (!System.getProperty(TestPostgres.MODE_PROPERTY, "embedded").equals("embedded")) {
			throw new TestAbortedException("These tests need a server of their own with max_connections 30");
		}
		server = TestPostgres.start(Map.of("max_connections", "30", "superuser_reserved_connections", "3"));
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void threeInstancesOnAServerOfThirtyConnectionsEachCompleteTheirCursorJobInTheBackgroundPoolsFloor()
			throws Exception {
		List<ConfigurableApplicationContext> fleet = new ArrayList<>();
		try {
			for (String id : List.of("a", "b", "c")) {
				fleet.add(start(id));
			}
			// 24 usable (30 − 3 reserved − 3 kept free): 3 × (monitor 1 + app 6 + background 3) do not
			// fit; the app pools come first, the background pools keep their floor of 2
			await().atMost(Duration.ofSeconds(60))
				.until(() -> fleet.stream().allMatch((instance) -> backgroundMax(instance) == 2));

			List<CompletableFuture<JobExecution>> jobs = fleet.stream()
				.map((instance) -> CompletableFuture.supplyAsync(() -> launch(instance), this.launchers))
				.toList();
			List<JobExecution> executions = new ArrayList<>();
			for (CompletableFuture<JobExecution> job : jobs) {
				executions.add(job.get(2, TimeUnit.MINUTES));
			}

			assertThat(executions).extracting(JobExecution::getStatus).containsOnly(BatchStatus.COMPLETED);
			assertThat(fleet).allSatisfy((instance) -> {
				assertThat(rows(instance)).isEqualTo(CursorJobs.ROWS);
				assertThat(backgroundMax(instance)).isEqualTo(2);
			});
		}
		finally {
			this.launchers.shutdownNow();
			fleet.forEach(ConfigurableApplicationContext::close);
		}
	}

	private static ConfigurableApplicationContext start(String id) throws Exception {
		// one database each, for the job repository and the tables; the server is what they share
		String url = server.createDatabase("cursor_fleet_" + id);
		CursorJobs.createTables(url, server.username(), server.password());
		return new SpringApplicationBuilder(CursorJobs.CursorApp.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=cursor-fleet", "poolguard.instance-id=" + id,
					"poolguard.monitor.interval=200ms", "spring.datasource.url=" + url,
					"spring.datasource.username=" + server.username(),
					"spring.datasource.password=" + server.password(), "spring.datasource.hikari.maximum-pool-size=6",
					"poolguard.background.hikari.maximum-pool-size=3", "spring.batch.jdbc.initialize-schema=always",
					"spring.batch.job.enabled=false",
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
							+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.run();
	}

	private static JobExecution launch(ConfigurableApplicationContext instance) {
		try {
			return CursorJobs.launch(instance.getBean(JobOperator.class), instance.getBean(Job.class));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int backgroundMax(ConfigurableApplicationContext instance) {
		return instance.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME, HikariDataSource.class)
			.getMaximumPoolSize();
	}

	private static int rows(ConfigurableApplicationContext instance) {
		Integer rows = instance.getBean(JdbcTemplate.class)
			.queryForObject("SELECT count(*) FROM cursor_imported", Integer.class);
		return (rows != null) ? rows : 0;
	}

}
