package io.github.poolguard.integration.scheduling;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.actuate.PoolGuardEndpoint;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The incident of the second team, as a new user sets it up: six {@code @Scheduled} jobs run
 * queries with no timeout while the app pool has 5 connections. With nothing but the starter,
 * the jobs run on the background pool and the app keeps all of its connections.
 */
@SpringBootTest(properties = { "spring.application.name=incident", "spring.datasource.hikari.maximum-pool-size=5",
		"spring.task.scheduling.pool.size=6", "management.endpoints.web.exposure.include=poolguard" })
@DirtiesContext
class ScheduledJobsIncidentIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final String SLOW_QUERY = "SELECT pg_sleep(600)";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		server.registerFreshDatabase(registry, "incident");
	}

	@Autowired
	private DataSource dataSource;

	@Autowired
	private SlowJobs jobs;

	@Autowired
	private PoolGuardEndpoint endpoint;

	@Autowired
	private MeterRegistry meters;

	@BeforeEach
	void startJobs() {
		this.jobs.started.set(0);
		this.jobs.finished.set(0);
		this.jobs.running.set(true);
	}

	@AfterEach
	void stopJobs() {
		this.jobs.running.set(false);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			server.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = '" + SLOW_QUERY + "'");
			assertThat(this.jobs.finished).hasValue(this.jobs.started.get());
		});
	}

	@Test
	void sixSlowScheduledJobsRunOnlyOnTheBackgroundPoolAndTheAppPoolBorrowsWithoutWaiting() throws Exception {
		WorkloadRoutingDataSource routing = this.dataSource.unwrap(WorkloadRoutingDataSource.class);
		HikariDataSource appPool = routing.getPool(Workload.APP).unwrap(HikariDataSource.class);
		HikariDataSource backgroundPool = routing.getPool(Workload.BACKGROUND).unwrap(HikariDataSource.class);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(this.jobs.started).hasValue(6);
			assertThat(slowQueriesByApplicationName()).isEqualTo(Map.of("incident:background", 3));
			assertThat(backgroundPool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isEqualTo(3);
		});
		List<Connection> borrowed = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				borrowed.add(this.dataSource.getConnection());
			}
			for (Connection connection : borrowed) {
				assertThat(applicationName(connection)).isEqualTo("incident:app");
			}
			assertThat(appPool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(5);
			assertThat(appPool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
			assertThat(slowQueriesByApplicationName()).isEqualTo(Map.of("incident:background", 3));
		}
		finally {
			for (Connection connection : borrowed) {
				connection.close();
			}
		}
	}

	@Test
	void metricsAndTheEndpointShowScheduledWorkOnTheBackgroundPool() {
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(slowQueriesByApplicationName()).isEqualTo(Map.of("incident:background", 3)));
		assertThat(this.meters.get("poolguard.connections.held")
			.tag("workload", "background")
			.tag("scheduled", "true")
			.gauge()
			.value()).isEqualTo(3);
		assertThat(this.meters.get("poolguard.connections.held")
			.tag("workload", "app")
			.tag("scheduled", "true")
			.gauge()
			.value()).isZero();
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> holders = (List<Map<String, Object>>) this.endpoint.poolguard().get("holders");
		assertThat(holders).filteredOn((holder) -> Boolean.TRUE.equals(holder.get("scheduled")))
			.hasSize(3)
			.allSatisfy((holder) -> {
				assertThat(holder.get("pool")).isEqualTo("incident:background");
				assertThat(holder.get("workload")).isEqualTo("BACKGROUND");
			});
	}

	private static Map<String, Integer> slowQueriesByApplicationName() throws SQLException {
		Map<String, Integer> counts = new TreeMap<>();
		try (Connection admin = server.connect("poolguard-test-admin"); Statement statement = admin.createStatement();
				ResultSet rs = statement.executeQuery("SELECT application_name, count(*) FROM pg_stat_activity"
						+ " WHERE query = '" + SLOW_QUERY + "' AND state = 'active' GROUP BY application_name")) {
			while (rs.next()) {
				counts.put(rs.getString(1), rs.getInt(2));
			}
		}
		return counts;
	}

	private static String applicationName(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT current_setting('application_name')")) {
			rs.next();
			return rs.getString(1);
		}
	}

	@Component
	static class SlowJobs {

		final AtomicBoolean running = new AtomicBoolean();

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger finished = new AtomicInteger();

		private final JdbcTemplate jdbc;

		SlowJobs(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Scheduled(fixedDelay = 100)
		void refreshTickers() {
			slowQuery();
		}

		@Scheduled(fixedDelay = 100)
		void refreshQuotes() {
			slowQuery();
		}

		@Scheduled(fixedDelay = 100)
		void refreshCompanies() {
			slowQuery();
		}

		@Scheduled(fixedDelay = 100)
		void purgeSessions() {
			slowQuery();
		}

		@Scheduled(fixedDelay = 100)
		void rebuildReports() {
			slowQuery();
		}

		@Scheduled(fixedDelay = 100)
		void sendDigests() {
			slowQuery();
		}

		private void slowQuery() {
			if (!this.running.get()) {
				return;
			}
			this.started.incrementAndGet();
			try {
				this.jdbc.execute(SLOW_QUERY);
			}
			catch (RuntimeException ex) {
				// cancelled by the test, or a background connection timed out: either ends the job
			}
			finally {
				this.finished.incrementAndGet();
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableScheduling
	@Import(SlowJobs.class)
	static class IncidentApplication {

	}

}
