package io.github.poolguard.integration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardBatchAutoConfiguration;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.PacedItemHandler;
import io.github.poolguard.batch.PacingMode;
import io.github.poolguard.batch.ThrottlingExecutor;
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
 * Adaptive pacing against a real server: the batch's database concurrency rises to the
 * background pool while the app is quiet, drops at once when the app pool has waiters, and the
 * executor runs work again after a context restart.
 */
class AdaptivePacingIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class, PoolGuardBatchAutoConfiguration.class,
				DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.createDatabase("adaptive")))
		.withPropertyValues("poolguard.batch.delay-between-chunks=50ms", "poolguard.batch.max-concurrency=6",
				"poolguard.background.hikari.maximum-pool-size=3");

	@Test
	void withAQuietAppTheBatchsDatabaseConcurrencyRisesToTheBackgroundPool() {
		this.runner.withPropertyValues("spring.application.name=rise-test").run((context) -> {
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			AtomicInteger itemsInFlight = new AtomicInteger();
			AtomicInteger peakItems = new AtomicInteger();
			AtomicInteger peakLimit = new AtomicInteger();
			try (ActivePeak active = new ActivePeak("rise-test:background")) {
				BatchReport<Integer> report = executor
					.run("rise", IntStream.range(0, 80).boxed().toList(), (PacedItemHandler<Integer>) (item, db) -> {
						peakItems.accumulateAndGet(itemsInFlight.incrementAndGet(), Math::max);
						Thread.sleep(10); // the network part: no connection held
						// the limit reached, seen while it is in force: a slow step on a busy machine may
						// lower it again before the run ends, which is the limiter doing its job
						db.database(() -> {
							peakLimit.accumulateAndGet(executor.getDatabaseStepLimit(), Math::max);
							return jdbc.queryForObject("SELECT pg_sleep(0.04)", Object.class);
						});
						itemsInFlight.decrementAndGet();
					})
					.await(Duration.ofMinutes(2));
				assertThat(report.progress().succeeded()).isEqualTo(80);
				active.stop();
				assertThat(active.max()).as("background sessions active at once in pg_stat_activity").isEqualTo(3);
			}
			assertThat(peakLimit).hasValue(3);
			assertThat(executor.getPeakDatabaseStepsInFlight()).isEqualTo(3);
			assertThat(peakItems.get()).as("items in flight are not bounded by the pool").isGreaterThan(3);
		});
	}

	@Test
	void whenAppPoolWaitersAppearTheDatabaseLimitDropsAndNoNewItemStarts() {
		this.runner
			.withPropertyValues("spring.application.name=drop-test", "spring.datasource.hikari.maximum-pool-size=2",
					"spring.datasource.hikari.connection-timeout=30000", "poolguard.batch.max-yield=60s")
			.run((context) -> {
				ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				DataSource dataSource = context.getBean(DataSource.class);
				// Start the app pool and let it fill before the run: a borrow while the pool is still
				// opening its second connection waits for it, and the run would yield to that waiter too.
				dataSource.getConnection().close();
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> idleAppConnections(context) == 2);
				AtomicInteger started = new AtomicInteger();
				BatchRun<Integer> run = executor.run("drop", IntStream.range(0, 2000).boxed().toList(),
						(PacedItemHandler<Integer>) (item, db) -> {
							started.incrementAndGet();
							db.database(() -> jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class));
						});
				Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> executor.getDatabaseStepLimit() == 3);
				List<Connection> held = List.of(dataSource.getConnection(), dataSource.getConnection());
				CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
					try (Connection connection = dataSource.getConnection()) {
						connection.isValid(1);
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
				});
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> threadsAwaiting(context) == 1);
				Awaitility.await().atMost(Duration.ofSeconds(10))
					.until(() -> run.progress().state() == BatchState.YIELDING);
				assertThat(executor.getDatabaseStepLimit()).as("the limit dropped at the first check").isOne();
				int startedWhenYielding = started.get();
				Awaitility.await()
					.during(Duration.ofMillis(500))
					.atMost(Duration.ofSeconds(5))
					.until(() -> started.get() == startedWhenYielding
							&& run.progress().state() == BatchState.YIELDING);
				for (Connection connection : held) {
					connection.close();
				}
				waiter.get(10, TimeUnit.SECONDS);
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> started.get() > startedWhenYielding);
				run.cancel();
				BatchReport<Integer> report = run.await(Duration.ofSeconds(30));
				assertThat(report.progress().yields()).isEqualTo(1);
				assertThat(report.progress().state()).isEqualTo(BatchState.CANCELLED);
			});
	}

	@Test
	void aRestartedContextsExecutorRunsWork() {
		this.runner.withPropertyValues("spring.application.name=restart-test").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("CREATE TABLE restarted_item (id int PRIMARY KEY)");
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			executor.run("before", List.of(1, 2, 3), (id) -> jdbc.update("INSERT INTO restarted_item VALUES (?)", id))
				.await(Duration.ofSeconds(30));
			context.stop();
			assertThat(executor.isRunning()).isFalse();
			context.start();
			BatchReport<Integer> report = executor
				.run("after", List.of(4, 5, 6, 7), (id) -> jdbc.update("INSERT INTO restarted_item VALUES (?)", id))
				.await(Duration.ofSeconds(30));
			assertThat(report.progress().state()).isEqualTo(BatchState.COMPLETED);
			assertThat(report.progress().succeeded()).isEqualTo(4);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM restarted_item", Integer.class)).isEqualTo(7);
		});
	}

	@Test
	void anUnknownPacingFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("poolguard.batch.pacing=slow").run((context) -> {
			assertThat(context).hasFailed();
			String description = StartupCheckIntegrationTests.analyze(context.getStartupFailure()).getDescription();
			assertThat(description).contains("poolguard.batch.pacing").contains("slow");
		});
	}

	@Test
	void fixedPacingIsBoundFromTheProperty() {
		this.runner.withPropertyValues("poolguard.batch.pacing=fixed")
			.run((context) -> assertThat(context.getBean(ThrottlingExecutor.class).getDefaults().pacing())
				.isEqualTo(PacingMode.FIXED));
	}

	private static int idleAppConnections(ApplicationContext context) {
		return ((HikariDataSource) context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME))
			.getHikariPoolMXBean()
			.getIdleConnections();
	}

	private static int threadsAwaiting(ApplicationContext context) {
		return ((HikariDataSource) context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME))
			.getHikariPoolMXBean()
			.getThreadsAwaitingConnection();
	}

	/**
	 * Samples how many sessions of one application name are active at once.
	 */
	private static final class ActivePeak implements AutoCloseable {

		private final AtomicBoolean sampling = new AtomicBoolean(true);

		private final AtomicInteger peak = new AtomicInteger();

		private final Thread sampler;

		ActivePeak(String applicationName) throws SQLException {
			Connection connection = server.connect("poolguard-test-sampler");
			this.sampler = new Thread(() -> {
				try (connection; PreparedStatement statement = connection.prepareStatement(
						"SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND state = 'active'")) {
					statement.setString(1, applicationName);
					while (this.sampling.get()) {
						try (ResultSet rs = statement.executeQuery()) {
							rs.next();
							this.peak.accumulateAndGet(rs.getInt(1), Math::max);
						}
					}
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			}, "active-peak-" + applicationName);
			this.sampler.setDaemon(true);
			this.sampler.start();
		}

		int max() {
			return this.peak.get();
		}

		void stop() throws InterruptedException {
			this.sampling.set(false);
			this.sampler.join();
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

	}

}
