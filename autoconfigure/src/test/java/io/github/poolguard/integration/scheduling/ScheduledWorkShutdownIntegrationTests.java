package io.github.poolguard.integration.scheduling;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application closes while a scheduled job is in the middle of a query on the background
 * pool: the job finishes its query and its write, no new run starts, and the background pool
 * closes only after, so no connection breaks.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduledWorkShutdownIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void scheduledJobMidQueryFinishesBeforeTheBackgroundPoolCloses(CapturedOutput output) throws Exception {
		closeMidQuery("sched_shutdown", output);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void scheduledJobMidQueryOnVirtualThreadsFinishesBeforeTheBackgroundPoolCloses(CapturedOutput output) throws Exception {
		closeMidQuery("sched_shutdown_vt", output, "spring.threads.virtual.enabled=true");
	}

	private void closeMidQuery(String database, CapturedOutput output, String... properties) throws Exception {
		String url = server.createDatabase(database);
		SlowJob.reset();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=sched-close", "spring.datasource.url=" + url,
					"spring.datasource.username=" + server.username(),
					"spring.datasource.password=" + server.password(), "poolguard.batch.shutdown-grace-period=30s")
			.properties(properties)
			.run();
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		jdbc.execute("CREATE TABLE job_runs (run int PRIMARY KEY)");
		SlowJob.go.countDown();
		// the job's query is running on a background connection now
		await().atMost(Duration.ofSeconds(30))
			.until(() -> countActive(jdbc, "sched-close:background", "SELECT pg_sleep(1.5)%") == 1);
		context.close();
		assertThat(SlowJob.finished).as("the run in flight finished its query and its write").hasValue(1);
		assertThat(SlowJob.startedWhileClosing).as("no run started once closing began").hasValue(0);
		try (Connection connection = DriverManager.getConnection(url, server.username(), server.password())) {
			assertThat(new JdbcTemplate(new SingleConnectionDataSource(connection, true))
				.queryForObject("SELECT count(*) FROM job_runs", Integer.class)).isOne();
		}
		assertThat(output).doesNotContain("marked as broken", "I/O error occurred while sending to the backend",
				"Unexpected error occurred in scheduled task", "has been closed");
	}

	private static int countActive(JdbcTemplate jdbc, String applicationName, String query) {
		Integer count = jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
				+ " AND state = 'active' AND query LIKE ?", Integer.class, applicationName, query);
		return (count != null) ? count : 0;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	@EnableScheduling
	static class App {

		@Bean
		SlowJob slowJob(JdbcTemplate jdbc) {
			return new SlowJob(jdbc);
		}

	}

	static class SlowJob {

		static volatile CountDownLatch go = new CountDownLatch(1);

		static volatile boolean closing;

		static final AtomicInteger startedWhileClosing = new AtomicInteger();

		static final AtomicBoolean first = new AtomicBoolean();

		static final AtomicInteger finished = new AtomicInteger();

		private final JdbcTemplate jdbc;

		SlowJob(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		static void reset() {
			go = new CountDownLatch(1);
			closing = false;
			startedWhileClosing.set(0);
			first.set(false);
			finished.set(0);
		}

		@EventListener
		void onClose(ContextClosedEvent event) {
			closing = true;
		}

		@Scheduled(fixedRate = 50)
		void run() {
			if (go.getCount() > 0) {
				return;
			}
			if (closing) {
				startedWhileClosing.incrementAndGet();
			}
			// one slow run; the scheduler keeps trying to start more
			if (!first.compareAndSet(false, true)) {
				return;
			}
			this.jdbc.execute("SELECT pg_sleep(1.5)");
			this.jdbc.update("INSERT INTO job_runs VALUES (1)");
			finished.incrementAndGet();
		}
	}

}
