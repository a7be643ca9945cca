package io.github.poolguard.integration;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.autoconfigure.PoolGuardAppExperienceAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardBatchAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardLeakAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.PacedItemHandler;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.internal.experience.AppExperience;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.experience.LatencyReading;
import io.github.poolguard.internal.pressure.AppLatencyPressure;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latency pacing against a real server: app work whose statements take longer (the app holds
 * its connections longer, as it does when the server or its JVM is slowed) makes the batch drop
 * its database limit and hold new items, and once the app is back within tolerance the limit
 * grows back to the background pool's size; with the tolerance at Infinity the batch ignores the
 * app's latency as before.
 */
class AppLatencyPacingIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	// the app's statements: 5 ms while it is well, 50 ms (10 times) while it suffers
	private static final double WELL = 0.005;

	// each returning a connection 20 times a second at 50 ms statements
	private static final int APP_THREADS = 8;

	private static final double SUFFERING = 0.05;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardBatchAutoConfiguration.class, PoolGuardAppExperienceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.createDatabase("app_latency")))
		.withPropertyValues("poolguard.batch.delay-between-chunks=50ms", "poolguard.batch.max-concurrency=6",
				"poolguard.background.hikari.maximum-pool-size=3", "poolguard.batch.max-yield=10m",
				// far from both 1 and 10: the machine's own noise never crosses it, the app's slowdown always does
				"poolguard.batch.app-latency-tolerance=4");

	@Test
	void appLatencyAboveToleranceDropsTheLimitAndHoldsNewItemsThenTheLimitGrowsBackWithinTolerance() {
		this.runner.withPropertyValues("spring.application.name=latency-test").run((context) -> {
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			AppExperienceSampler sampler = context.getBean(AppExperienceSampler.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			try (AppWork app = new AppWork(jdbc, APP_THREADS, WELL)) {
				awaitLearnedBaseline(sampler);
				AtomicInteger started = new AtomicInteger();
				BatchRun<Integer> run = executor.run("paced", IntStream.range(0, 100_000).boxed().toList(),
						(PacedItemHandler<Integer>) (item, db) -> {
							started.incrementAndGet();
							db.database(() -> jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class));
						});
				Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> executor.getDatabaseStepLimit() == 3);
				assertThat(run.progress().yields()).as("no yield while the app is within tolerance").isZero();

				app.statementSeconds.set(SUFFERING);
				Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ratio(sampler.getLatest()) > 4);
				Awaitility.await().atMost(Duration.ofSeconds(10))
					.until(() -> run.progress().state() == BatchState.YIELDING);
				assertThat(executor.getDatabaseStepLimit()).as("the limit dropped at the first check past the tolerance").isOne();
				assertThat(context.getBean(AppLatencyPressure.class).currentPressure())
					.startsWith("app connection wait and hold took")
					.contains("poolguard.batch.app-latency-tolerance 4.0");
				assertThat(experienceDetails(context)).containsEntry("tolerance", 4.0)
					.containsEntry("batchRunning", true)
					.hasEntrySatisfying("batchPacing", (pacing) -> assertThat(pacing).asString()
						.startsWith("holding back: app connection wait and hold took"));
				int startedWhenYielding = started.get();
				Instant window = sampler.getLatest().sampledAt();
				// two more windows past the tolerance: no item started in them
				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.until(() -> sampler.getLatest().sampledAt().isAfter(window.plusMillis(1500)));
				assertThat(started.get()).isEqualTo(startedWhenYielding);
				assertThat(run.progress().state()).isEqualTo(BatchState.YIELDING);

				app.statementSeconds.set(WELL);
				Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> started.get() > startedWhenYielding);
				Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> executor.getDatabaseStepLimit() == 3);
				run.cancel();
				BatchReport<Integer> report = run.await(Duration.ofSeconds(30));
				assertThat(report.progress().yields()).isOne();
			}
		});
	}

	@Test
	void withTheToleranceAtInfinityTheBatchIgnoresTheAppsLatency() {
		this.runner
			.withPropertyValues("spring.application.name=latency-off-test",
					"poolguard.batch.app-latency-tolerance=Infinity")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(AppLatencyPressure.class);
				ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
				AppExperienceSampler sampler = context.getBean(AppExperienceSampler.class);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				try (AppWork app = new AppWork(jdbc, APP_THREADS, WELL)) {
					awaitLearnedBaseline(sampler);
					BatchRun<Integer> run = executor.run("unpaced", IntStream.range(0, 100_000).boxed().toList(),
							(PacedItemHandler<Integer>) (item, db) -> db
								.database(() -> jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class)));
					app.statementSeconds.set(SUFFERING);
					Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ratio(sampler.getLatest()) > 4);
					Instant window = sampler.getLatest().sampledAt();
					Awaitility.await()
						.atMost(Duration.ofSeconds(30))
						.until(() -> sampler.getLatest().sampledAt().isAfter(window.plusMillis(1500))
								&& ratio(sampler.getLatest()) > 4);
					Awaitility.await()
						.atMost(Duration.ofSeconds(60))
						.until(() -> executor.getDatabaseStepLimit() == 3);
					assertThat(run.progress().yields()).isZero();
					assertThat(experienceDetails(context)).containsEntry("batchPacing",
							"off: poolguard.batch.app-latency-tolerance is Infinity");
					run.cancel();
					run.await(Duration.ofSeconds(30));
				}
			});
	}

	@Test
	void aToleranceOfOneOrLessFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("poolguard.batch.app-latency-tolerance=1").run((context) -> {
			assertThat(context).hasFailed();
			String description = StartupCheckIntegrationTests.analyze(context.getStartupFailure()).getDescription();
			assertThat(description).contains("poolguard.batch.app-latency-tolerance");
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> experienceDetails(ApplicationContext context) {
		return (Map<String, Object>) context.getBean(ConnectionsAssessment.class).assess().toDetails().get("experience");
	}

	// a baseline that has caught up with the app's steady latency: the first windows after startup
	// (cold JIT, connections still opening) are slower, and on a busy machine a baseline still
	// carrying them could leave the app's tenfold slowdown under the tolerance of 4
	private static void awaitLearnedBaseline(AppExperienceSampler sampler) {
		Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
			AppExperience latest = sampler.getLatest();
			LatencyReading worst = latest.worst();
			return !latest.batchRunning() && worst != null && worst.ratio() > 0.8 && worst.ratio() < 1.25;
		});
	}

	private static double ratio(AppExperience experience) {
		LatencyReading worst = experience.worst();
		return (worst != null) ? worst.ratio() : 0;
	}

}
