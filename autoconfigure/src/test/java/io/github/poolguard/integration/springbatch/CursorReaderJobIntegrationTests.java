package io.github.poolguard.integration.springbatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.internal.fleet.PoolResizer;
import io.github.poolguard.internal.springbatch.ChunkGate;
import io.github.poolguard.test.ConnectionPeak;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 29 on a real server: a cursor reader holds one background connection for the whole step
 * while each chunk's transaction needs another. With the background pool shrunk at run time to 2,
 * as the fleet shrinks it, the job writes every row within those 2 sessions; shrunk to 1, it
 * cannot run at all, and fails at once, recorded FAILED with the reason, instead of waiting out the
 * pool's connection timeout twice and being left UNKNOWN.
 */
class CursorReaderJobIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void aCursorJobWritesEveryRowWithinTheTwoConnectionsTheBackgroundPoolWasShrunkTo() throws Exception {
		try (ConfigurableApplicationContext context = start("cursor-two")) {
			HikariDataSource background = shrinkBackgroundPool(context, 2);
			await().until(() -> server.countConnections("cursor-two:background") <= 2);
			assertThat(context.getBean(ChunkGate.class).getPermits()).isEqualTo(2);
			JobExecution execution;
			try (ConnectionPeak peak = server.samplePeak("cursor-two:background")) {
				execution = CursorJobs.launch(context.getBean(JobOperator.class), context.getBean(Job.class));
				assertThat(peak.max()).as("background sessions at once").isBetween(1, 2);
			}
			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(execution.getStepExecutions()).singleElement()
				.satisfies((step) -> assertThat(step.getWriteCount()).isEqualTo(CursorJobs.ROWS));
			assertThat(writtenBy(context)).isEqualTo(Map.of("cursor-two:background", (long) CursorJobs.ROWS));
			assertThat(background.getMaximumPoolSize()).isEqualTo(2);
			// the reader's connection is the pool's again once the step has ended
			assertThat(context.getBean(ChunkGate.class).getPermits()).isEqualTo(2);
			assertThat(statuses(context)).containsOnly("COMPLETED");
		}
	}

	@Test
	void aCursorJobThatCannotRunInTheOneConnectionLeftEndsFailedWithTheSettingToChange() throws Exception {
		try (ConfigurableApplicationContext context = start("cursor-one")) {
			shrinkBackgroundPool(context, 1);
			JobExecution execution = CursorJobs.launch(context.getBean(JobOperator.class), context.getBean(Job.class));

			assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
			StepExecution step = execution.getStepExecutions().iterator().next();
			assertThat(step.getStatus()).isEqualTo(BatchStatus.FAILED);
			assertThat(step.getExitStatus().getExitDescription()).contains(
					"Spring Batch step 'cursorStep' cannot run in the background pool: the pool may have 1"
							+ " connection(s) now (poolguard.background.hikari.maximum-pool-size, or less where the"
							+ " fleet shares the server: poolguard.fleet.min-app-pool and the server's max_connections),"
							+ " the step holds 1 outside its chunks (a cursor reader keeps one for the whole step) and"
							+ " each chunk's transaction needs 1 more: 1 - 1 = 0 for its chunks. Give the background"
							+ " pool at least 2 connections.");
			assertThat(statuses(context)).as("what the job repository recorded").containsOnly("FAILED");
			assertThat(rows(context)).isZero();
		}
	}

	@Test
	void aTaskletCursorStepWhoseRepositoryWriteFindsThePoolTakenEndsFailedInsteadOfUnknown() throws Exception {
		try (ConfigurableApplicationContext context = start("cursor-tasklet", "cursor.tasklet=true")) {
			shrinkBackgroundPool(context, 1);
			JobExecution execution = CursorJobs.launch(context.getBean(JobOperator.class), context.getBean(Job.class));

			assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
			assertThat(execution.getStepExecutions()).singleElement()
				.satisfies((step) -> assertThat(step.getExitStatus().getExitDescription())
					.contains("this thread holds all 1 connection(s) the background pool may have now and asks for"
							+ " another")
					.contains("poolguard.background.hikari.maximum-pool-size"));
			assertThat(statuses(context)).as("what the job repository recorded").containsOnly("FAILED");
			assertThat(rows(context)).isZero();
		}
	}

	private static ConfigurableApplicationContext start(String name, String... more) throws Exception {
		String url = server.createDatabase(name.replace('-', '_'));
		CursorJobs.createTables(url, server.username(), server.password());
		return new SpringApplicationBuilder(CursorJobs.CursorApp.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=" + name, "spring.datasource.url=" + url,
					"spring.datasource.username=" + server.username(),
					"spring.datasource.password=" + server.password(), "spring.datasource.hikari.maximum-pool-size=4",
					"poolguard.background.hikari.maximum-pool-size=3", "spring.batch.jdbc.initialize-schema=always",
					"spring.batch.job.enabled=false",
					// the test resizes the pool as the fleet would; the fleet itself would give it back
					"poolguard.fleet.sharing=false",
					"spring.autoconfigure.exclude="
							+ "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
							+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.properties(more)
			.run();
	}

	// as the fleet resizes it: the live maximum of the running pool
	private static HikariDataSource shrinkBackgroundPool(ConfigurableApplicationContext context, int size) {
		HikariDataSource background = context.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME,
				HikariDataSource.class);
		new PoolResizer(background, "background").resize(size, "the test shrinks it");
		assertThat(background.getMaximumPoolSize()).isEqualTo(size);
		return background;
	}

	// every job and step execution's status, as the job repository recorded it
	private static List<String> statuses(ConfigurableApplicationContext context) {
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		List<String> statuses = new ArrayList<>(
				jdbc.queryForList("SELECT status FROM batch_job_execution", String.class));
		statuses.addAll(jdbc.queryForList("SELECT status FROM batch_step_execution", String.class));
		assertThat(statuses).isNotEmpty();
		return statuses;
	}

	private static int rows(ConfigurableApplicationContext context) {
		Integer rows = context.getBean(JdbcTemplate.class)
			.queryForObject("SELECT count(*) FROM cursor_imported", Integer.class);
		return (rows != null) ? rows : 0;
	}

	private static Map<String, Long> writtenBy(ConfigurableApplicationContext context) {
		Map<String, Long> counts = new TreeMap<>();
		context.getBean(JdbcTemplate.class)
			.query("SELECT written_by, count(*) FROM cursor_imported GROUP BY written_by",
					(RowCallbackHandler) (row) -> counts.put(row.getString(1), row.getLong(2)));
		return counts;
	}

}
