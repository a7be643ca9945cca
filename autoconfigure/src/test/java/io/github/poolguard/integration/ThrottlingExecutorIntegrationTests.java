package io.github.poolguard.integration;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardBatchAutoConfiguration;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.PacedItemHandler;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.test.ConnectionPeak;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The throttling executor against a real PostgreSQL server.
 */
@ExtendWith(OutputCaptureExtension.class)
class ThrottlingExecutorIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class, PoolGuardBatchAutoConfiguration.class,
				DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.createDatabase("executor")))
		.withPropertyValues("poolguard.batch.delay-between-chunks=0");

	@Test
	void twentySubmittersNeverRunMoreThanMaxConcurrencyOrOpenMoreThanThePool() {
		this.runner.withPropertyValues("spring.application.name=limit-test").run((context) -> {
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			AsyncTaskExecutor tasks = context.getBean(PoolGuardBatchAutoConfiguration.TASK_EXECUTOR_BEAN_NAME,
					AsyncTaskExecutor.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			AtomicInteger running = new AtomicInteger();
			AtomicInteger peakRunning = new AtomicInteger();
			Runnable slowWork = () -> {
				peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
				jdbc.queryForObject("SELECT pg_sleep(0.05)", Object.class);
				running.decrementAndGet();
			};
			ConnectionPeak peakConnections = server.samplePeak("limit-test:background");
			ExecutorService submitters = Executors.newFixedThreadPool(20);
			List<Future<?>> submitted = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				int n = i;
				submitted.add(submitters.submit(() -> {
					if (n % 2 == 0) {
						return executor.run("batch-" + n, List.of(1, 2, 3, 4, 5), (item) -> slowWork.run()).await();
					}
					List<Future<?>> futures = new ArrayList<>();
					for (int j = 0; j < 5; j++) {
						futures.add(tasks.submit(slowWork));
					}
					for (Future<?> future : futures) {
						future.get();
					}
					return null;
				}));
			}
			for (Future<?> future : submitted) {
				future.get(2, TimeUnit.MINUTES);
			}
			peakConnections.close();
			submitters.shutdown();
			assertThat(peakRunning.get()).isEqualTo(2);
			assertThat(peakConnections.max()).isBetween(1, 3);
		});
	}

	@Test
	void killedBackendsAreRetriedAndEveryItemIsStoredExactlyOnce() {
		this.runner
			.withPropertyValues("spring.application.name=kill-test", "poolguard.batch.max-attempts=6",
					"poolguard.batch.initial-backoff=20ms")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				// no unique constraint: an item written twice shows as a second row instead of failing
				jdbc.execute("CREATE TABLE stored_item (id int NOT NULL, stored_at timestamptz DEFAULT now())");
				ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
				List<Integer> items = IntStream.rangeClosed(1, 100).boxed().toList();
				List<Integer> broken = List.of(13, 42, 77);
				BatchRun<Integer> run = executor.run("kill-test", items, (id) -> {
					if (broken.contains(id)) {
						throw new IllegalArgumentException("item " + id + " is malformed");
					}
					jdbc.update("INSERT INTO stored_item (id) SELECT ? FROM pg_sleep(0.03)", id);
				});
				int kills = 0;
				for (int round = 0; round < 5 && !run.progress().state().isFinished(); round++) {
					Thread.sleep(150);
					kills += killActiveBackends("kill-test:background");
				}
				BatchReport<Integer> report = run.await(Duration.ofMinutes(2));
				assertThat(kills).as("backends terminated mid-run").isPositive();
				assertThat(report.progress().retries()).isPositive();
				assertThat(report.failures()).extracting((failure) -> failure.item())
					.containsExactlyInAnyOrderElementsOf(broken);
				assertThat(report.failures()).allSatisfy((failure) -> assertThat(failure.attempts()).isOne());
				assertThat(report.progress().succeeded()).isEqualTo(97);
				assertThat(jdbc.queryForList("SELECT id FROM stored_item GROUP BY id HAVING count(*) > 1", Integer.class))
					.as("items stored more than once").isEmpty();
				assertThat(jdbc.queryForObject("SELECT count(DISTINCT id) FROM stored_item", Integer.class))
					.as("items stored").isEqualTo(97);
			});
	}

	@Test
	void whileTheAppPoolIsSaturatedTheRunPausesAndResumesAfter(CapturedOutput output) {
		this.runner.withPropertyValues("spring.application.name=yield-test", "spring.datasource.hikari.maximum-pool-size=2",
				"spring.datasource.hikari.connection-timeout=30000")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
				List<Connection> held = List.of(dataSource.getConnection(), dataSource.getConnection());
				CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
					try (Connection connection = dataSource.getConnection()) {
						connection.isValid(1);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				});
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> threadsAwaiting(context) == 1);
				AtomicInteger handled = new AtomicInteger();
				BatchRun<Integer> run = executor.run("yield-test", List.of(1, 2, 3, 4, 5, 6), (item) -> handled.incrementAndGet());
				Awaitility.await().atMost(Duration.ofSeconds(10))
					.until(() -> run.progress().state() == BatchState.YIELDING);
				Awaitility.await()
					.during(Duration.ofMillis(300))
					.atMost(Duration.ofSeconds(5))
					.until(() -> handled.get() == 0 && run.progress().state() == BatchState.YIELDING);
				assertThat(handled).as("no item starts while the app pool has waiters").hasValue(0);
				for (Connection connection : held) {
					connection.close();
				}
				waiter.get(10, TimeUnit.SECONDS);
				BatchReport<Integer> report = run.await(Duration.ofSeconds(30));
				assertThat(report.progress().yields()).isEqualTo(1);
				assertThat(report.progress().succeeded()).isEqualTo(6);
			});
		assertThat(output).containsOnlyOnce("yield-test: pausing before the next chunk: 1 thread(s) waiting for a"
				+ " connection from app pool 'yield-test:app'")
			.contains("yield-test: resuming after pausing for");
	}

	@Test
	void closingTheContextMidRunFinishesInFlightItemsAndReportsTheRestAsNotRun(CapturedOutput output) throws Exception {
		AtomicReference<BatchRun<Integer>> runRef = new AtomicReference<>();
		AtomicInteger started = new AtomicInteger();
		this.runner.withPropertyValues("spring.application.name=drain-test", "poolguard.batch.shutdown-grace-period=20s")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
				runRef.set(executor.run("drain-test", IntStream.rangeClosed(1, 30).boxed().toList(), (item) -> {
					started.incrementAndGet();
					jdbc.queryForObject("SELECT pg_sleep(0.3)", Object.class);
				}));
				Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> runRef.get().progress().succeeded() >= 4);
			});
		BatchReport<Integer> report = runRef.get().await(Duration.ofSeconds(5));
		assertThat(report.progress().state()).isEqualTo(BatchState.STOPPED);
		assertThat(report.progress().failed()).isZero();
		assertThat(report.progress().succeeded()).as("every item that started finished").isEqualTo(started.get());
		assertThat(report.progress().succeeded() + report.notRun().size()).isEqualTo(30);
		assertThat(report.notRun()).isNotEmpty();
		Awaitility.await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(server.countConnectionsStartingWith("drain-test:")).isZero());
		assertThat(output).contains("PoolGuard batch executor stopping").contains("drain-test: stopped in");
	}

	@Test
	void graceRunningOutInterruptsInFlightItemsAndReportsThemAsNotRun() throws Exception {
		AtomicReference<BatchRun<Integer>> runRef = new AtomicReference<>();
		CountDownLatch inFlight = new CountDownLatch(2);
		this.runner.withPropertyValues("spring.application.name=grace-test", "poolguard.batch.shutdown-grace-period=200ms")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
				runRef.set(executor.run("grace-test", List.of(1, 2, 3, 4, 5), (item) -> {
					inFlight.countDown();
					Thread.sleep(30_000);
				}));
				assertThat(inFlight.await(10, TimeUnit.SECONDS)).isTrue();
			});
		BatchReport<Integer> report = runRef.get().await(Duration.ofSeconds(10));
		assertThat(report.progress().succeeded()).isZero();
		assertThat(report.progress().failed()).isZero();
		assertThat(report.notRun()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
		Awaitility.await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(server.countConnectionsStartingWith("grace-test:")).isZero());
	}

	@Test
	void asyncMethodsRoutedToTheExecutorRunOnTheBackgroundPool() {
		this.runner.withPropertyValues("spring.application.name=async-test")
			.withUserConfiguration(AsyncConfiguration.class)
			.run((context) -> {
				AsyncWork work = context.getBean(AsyncWork.class);
				assertThat(work.applicationName().get(10, TimeUnit.SECONDS)).isEqualTo("async-test:background");
				assertThat(work.threadName().get(10, TimeUnit.SECONDS)).startsWith("poolguard-batch-");
			});
	}

	@Test
	void itemsInFlightMayExceedTheBackgroundPoolWhileItsConnectionsStayWithinIt() {
		this.runner.withPropertyValues("spring.application.name=wide-test", "poolguard.batch.max-concurrency=8")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				AtomicInteger inFlight = new AtomicInteger();
				AtomicInteger peakInFlight = new AtomicInteger();
				ConnectionPeak peakConnections = server.samplePeak("wide-test:background");
				BatchReport<Integer> report = executor
					.run("wide", IntStream.range(0, 40).boxed().toList(), (PacedItemHandler<Integer>) (item, db) -> {
						peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
						Thread.sleep(30);
						db.database(() -> jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class));
						inFlight.decrementAndGet();
					})
					.await(Duration.ofMinutes(1));
				peakConnections.close();
				assertThat(report.progress().succeeded()).isEqualTo(40);
				assertThat(peakInFlight.get()).as("items in flight").isGreaterThan(3);
				assertThat(peakConnections.max()).as("background connections").isBetween(1, 3);
			});
	}

	private static int threadsAwaiting(org.springframework.context.ApplicationContext context) {
		return ((com.zaxxer.hikari.HikariDataSource) context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME))
			.getHikariPoolMXBean()
			.getThreadsAwaitingConnection();
	}

	private static int killActiveBackends(String applicationName) {
		try (Connection connection = server.connect("poolguard-test-killer");
				var statement = connection.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
						+ " WHERE application_name = ? AND state = 'active'")) {
			statement.setString(1, applicationName);
			try (var rs = statement.executeQuery()) {
				rs.next();
				return rs.getInt(1);
			}
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

		@Bean
		AsyncWork asyncWork(JdbcTemplate jdbc) {
			return new AsyncWork(jdbc);
		}

	}

	static class AsyncWork {

		private final JdbcTemplate jdbc;

		AsyncWork(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Async(PoolGuardBatchAutoConfiguration.TASK_EXECUTOR_BEAN_NAME)
		public CompletableFuture<String> applicationName() {
			return CompletableFuture.completedFuture(this.jdbc.queryForObject(
					"SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()", String.class));
		}

		@Async(PoolGuardBatchAutoConfiguration.TASK_EXECUTOR_BEAN_NAME)
		public CompletableFuture<String> threadName() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

}
