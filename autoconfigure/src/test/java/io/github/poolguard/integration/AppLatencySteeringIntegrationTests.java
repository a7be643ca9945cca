package io.github.poolguard.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.autoconfigure.PoolGuardAppExperienceAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardBatchAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardLeakAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.PacedItemHandler;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.experience.LatencyReading;
import io.github.poolguard.internal.experience.AppExperience;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latency pacing steers against a real server, at the default tolerance (1.2), chunk size and
 * pause: the app's statements taking 1.5 times as long slow the batch (fewer items in flight, a
 * lower database limit) and items still complete in every window; taking 5 times as long holds
 * it, no item starting while it lasts.
 */
class AppLatencySteeringIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	// the app's statements: 10 ms while it is well
	private static final double WELL = 0.010;

	// each returning a connection 20 times a second at 50 ms statements
	private static final int APP_THREADS = 12;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardBatchAutoConfiguration.class, PoolGuardAppExperienceAutoConfiguration.class,
				DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.createDatabase("app_steering")))
		// room for the app's threads: waiting for an app connection is a hard signal, not this test's
		.withPropertyValues("spring.datasource.hikari.maximum-pool-size=16", "poolguard.batch.max-concurrency=6",
				"poolguard.background.hikari.maximum-pool-size=3", "poolguard.batch.max-yield=10m");

	@Test
	void anAppOneAndAHalfTimesAsSlowSlowsTheBatchWhichStillCompletesItemsInEveryWindow() {
		this.runner.withPropertyValues("spring.application.name=steering-test").run((context) -> {
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			AppExperienceSampler sampler = context.getBean(AppExperienceSampler.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			// completions and the run's state at the end of every window
			List<Integer> completedAtWindow = new CopyOnWriteArrayList<>();
			List<BatchState> stateAtWindow = new CopyOnWriteArrayList<>();
			AtomicReference<BatchRun<Integer>> current = new AtomicReference<>();
			try (AppWork app = new AppWork(jdbc, APP_THREADS, WELL)) {
				awaitLearnedBaseline(sampler);
				AtomicInteger completed = new AtomicInteger();
				BatchRun<Integer> run = executor.run("steered", IntStream.range(0, 100_000).boxed().toList(),
						(PacedItemHandler<Integer>) (item, db) -> {
							db.database(() -> jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class));
							completed.incrementAndGet();
						});
				current.set(run);
				sampler.onReading((experience) -> {
					completedAtWindow.add(completed.get());
					stateAtWindow.add(current.get().progress().state());
				});
				Awaitility.await()
					.atMost(Duration.ofSeconds(60))
					.until(() -> executor.getDatabaseStepLimit() == 3);

				app.statementSeconds.set(WELL * 1.5);
				Awaitility.await()
					.atMost(Duration.ofSeconds(60))
					.until(() -> executor.getItemsAllowed() < executor.getMaxConcurrency());
				int from = completedAtWindow.size();
				Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> completedAtWindow.size() >= from + 8);
				List<Integer> counts = List.copyOf(completedAtWindow.subList(from, from + 8));
				for (int window = 1; window < counts.size(); window++) {
					assertThat(counts.get(window)).as("items completed in window %d of %s", window, counts)
						.isGreaterThan(counts.get(window - 1));
				}
				assertThat(stateAtWindow.subList(from, from + 8)).doesNotContain(BatchState.YIELDING);
				assertThat(run.progress().yields()).as("slowed, never held").isZero();
				assertThat(experiencePace(context)).containsKeys("share", "itemsAllowed", "databaseStepsAllowed");
				run.cancel();
				run.await(Duration.ofSeconds(30));
			}
		});
	}

	@Test
	void runsStartSlowlyUnlessLatencyPacingIsOff() {
		this.runner.withPropertyValues("spring.application.name=slow-start-test").run((context) -> {
			assertThat(context.getBean(ThrottlingExecutor.class).getSlowStart()).isEqualTo(Duration.ofSeconds(4));
		});
		this.runner.withPropertyValues("spring.application.name=slow-start-test", "poolguard.batch.slow-start=10s")
			.run((context) -> assertThat(context.getBean(ThrottlingExecutor.class).getSlowStart())
				.isEqualTo(Duration.ofSeconds(10)));
		this.runner
			.withPropertyValues("spring.application.name=slow-start-test",
					"poolguard.batch.app-latency-tolerance=Infinity")
			.run((context) -> assertThat(context.getBean(ThrottlingExecutor.class).getSlowStart())
				.as("no signal, nothing to wait for")
				.isZero());
	}

	@Test
	void anAppFiveTimesAsSlowHoldsTheBatch() {
		this.runner.withPropertyValues("spring.application.name=holding-test").run((context) -> {
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			AppExperienceSampler sampler = context.getBean(AppExperienceSampler.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			try (AppWork app = new AppWork(jdbc, APP_THREADS, WELL)) {
				awaitLearnedBaseline(sampler);
				AtomicInteger started = new AtomicInteger();
				BatchRun<Integer> run = executor.run("held", IntStream.range(0, 100_000).boxed().toList(),
						(PacedItemHandler<Integer>) (item, db) -> {
							started.incrementAndGet();
							db.database(() -> jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class));
						});
				Awaitility.await()
					.atMost(Duration.ofSeconds(60))
					.until(() -> executor.getDatabaseStepLimit() == 3);

				app.statementSeconds.set(WELL * 5);
				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.until(() -> run.progress().state() == BatchState.YIELDING);
				assertThat(executor.getDatabaseStepLimit()).isOne();
				assertThat(experienceDetails(context)).hasEntrySatisfying("batchPacing",
						(pacing) -> assertThat(pacing).asString().startsWith("holding back: app connection wait"));
				int startedWhenHolding = started.get();
				AppExperience holding = sampler.getLatest();
				// two more windows past the tolerance: no item started in them
				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.until(() -> sampler.getLatest().sampledAt().isAfter(holding.sampledAt().plusMillis(1500)));
				assertThat(started.get()).isEqualTo(startedWhenHolding);
				assertThat(run.progress().state()).isEqualTo(BatchState.YIELDING);

				app.statementSeconds.set(WELL);
				Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> started.get() > startedWhenHolding);
				run.cancel();
				run.await(Duration.ofSeconds(30));
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> experienceDetails(ApplicationContext context) {
		return (Map<String, Object>) context.getBean(ConnectionsAssessment.class).assess().toDetails().get("experience");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> experiencePace(ApplicationContext context) {
		return (Map<String, Object>) experienceDetails(context).get("pace");
	}

	// a baseline that has caught up with the app's steady latency
	private static void awaitLearnedBaseline(AppExperienceSampler sampler) {
		Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
			AppExperience latest = sampler.getLatest();
			LatencyReading worst = latest.worst();
			return !latest.batchRunning() && worst != null && worst.ratio() > 0.9 && worst.ratio() < 1.1;
		});
	}

}
