package io.github.poolguard.integration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardBatchAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardEndpointAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardHealthAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardLeakAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMetricsAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.test.PgBouncerProcess;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Four instances of one application behind a real PgBouncer in transaction mode, in front of a
 * server with {@code max_connections} 20: each instance has an app pool of 10, so 40 client
 * connections share PgBouncer's 8 server connections.
 */
@ExtendWith(OutputCaptureExtension.class)
class PgBouncerFleetIntegrationTests {

	private static final int POOL_SIZE = 8;

	private static final List<String> INSTANCES = List.of("i1", "i2", "i3", "i4");

	private static PostgresServer server;

	private static PgBouncerProcess pgbouncer;

	private static String database;

	@BeforeAll
	static void startServerAndPgBouncer() {
		server = TestPostgres.start(Map.of("max_connections", "20"));
		String url = server.createDatabase("fleet");
		database = url.substring(url.lastIndexOf('/') + 1);
		server.execute("CREATE TABLE IF NOT EXISTS unused (id int)");
		pgbouncer = PgBouncerProcess.start(server, "transaction", POOL_SIZE);
	}

	@AfterAll
	static void stop() {
		if (pgbouncer != null) {
			pgbouncer.close();
		}
		if (server != null) {
			server.close();
		}
	}

	private ApplicationContextRunner runner(String instance) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
					PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				PoolGuardBatchAutoConfiguration.class,
					DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
					HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
			.withPropertyValues("spring.application.name=fleet", "spring.datasource.url=" + pgbouncer.jdbcUrl(database),
					"spring.datasource.username=" + server.username(), "spring.datasource.password=" + server.password(),
					"spring.datasource.hikari.maximum-pool-size=10", "spring.datasource.hikari.connection-timeout=20000",
					"poolguard.pgbouncer.mode=transaction", "poolguard.pgbouncer.pool-size=" + POOL_SIZE,
					"poolguard.monitor.url=" + server.jdbcUrl(database), "poolguard.monitor.interval=200ms",
					"poolguard.budget.instances=4", "poolguard.instance-id=" + instance,
					"poolguard.background.hikari.maximum-pool-size=2", "poolguard.batch.max-concurrency=1",
					"poolguard.batch.chunk-size=1", "poolguard.batch.delay-between-chunks=0",
					"poolguard.batch.shutdown-grace-period=1s");
	}

	/**
	 * Start the four instances, one context each, and run the body while all are up.
	 */
	private void withFleet(Consumer<List<AssertableApplicationContext>> body) {
		startFrom(0, new ArrayList<>(), body);
	}

	private void startFrom(int index, List<AssertableApplicationContext> started,
			Consumer<List<AssertableApplicationContext>> body) {
		if (index == INSTANCES.size()) {
			body.accept(started);
			return;
		}
		runner(INSTANCES.get(index)).run((context) -> {
			assertThat(context).hasNotFailed();
			started.add(context);
			startFrom(index + 1, started, body);
		});
	}

	@Test
	void fourInstancesServeConcurrentRequestsWithoutTooManyClients(CapturedOutput output) throws Exception {
		withFleet((contexts) -> {
			List<Throwable> errors = new CopyOnWriteArrayList<>();
			AtomicInteger served = new AtomicInteger();
			AtomicInteger peak = new AtomicInteger();
			AtomicBoolean sampling = new AtomicBoolean(true);
			Thread sampler = new Thread(() -> {
				while (sampling.get()) {
					peak.accumulateAndGet(clientBackends(), Math::max);
				}
			});
			sampler.start();
			ExecutorService requests = Executors.newFixedThreadPool(40);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (AssertableApplicationContext context : contexts) {
					JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
					for (int thread = 0; thread < 10; thread++) {
						futures.add(requests.submit(() -> {
							for (int request = 0; request < 15; request++) {
								try {
									// the same parameterised statement again and again: with named
									// server-side prepared statements it would break in transaction mode
									jdbc.queryForObject("SELECT count(*) FROM pg_sleep(0.01), (SELECT ?::int) x",
											Integer.class, request);
									served.incrementAndGet();
								}
								catch (RuntimeException ex) {
									errors.add(ex);
								}
							}
						}));
					}
				}
				for (Future<?> future : futures) {
					future.get(120, TimeUnit.SECONDS);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				requests.shutdownNow();
				sampling.set(false);
			}
			assertThat(errors).as("errors (PgBouncer log: %s)", pgbouncer.output()).isEmpty();
			assertThat(served).hasValue(4 * 10 * 15);
			System.out.println("PgBouncer fleet: peak client backends on the server " + peak.get() + " for "
					+ served.get() + " requests from 4 instances x 10 app connections");
			assertThat(peak.get()).isLessThanOrEqualTo(17);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				for (AssertableApplicationContext context : contexts) {
					Health health = context.getBean(ConnectionsHealthIndicator.class).health();
					@SuppressWarnings("unchecked")
					Map<String, Object> fleet = (Map<String, Object>) health.getDetails().get("fleet");
					assertThat(fleet).containsEntry("instances", 4).containsEntry("ids", INSTANCES);
					assertThat(fleet).containsEntry("overcommitted", false)
						.containsEntry("demand", POOL_SIZE + 4);
				}
			});
		});
		// a refusal, from the server or PgBouncer; not the CRITICAL line, which warns that one may come
		assertThat(output).doesNotContain("sorry, too many clients already").doesNotContain("no more connections allowed");
		assertThat(output).contains("connection budget behind PgBouncer: PgBouncer pool_size 8 + monitor 1 × 4"
				+ " instances = 12 <= 14 usable");
		assertThat(output).contains("ALTER ROLE \"" + server.username() + "\" SET statement_timeout = 30000;");
	}

	@Test
	void anExclusiveBatchRunsOnOneInstanceAndAnotherTakesOverWhenItDies() throws Exception {
		withFleet((contexts) -> {
			CountDownLatch release = new CountDownLatch(1);
			List<String> ranOn = new CopyOnWriteArrayList<>();
			List<BatchRun<Integer>> runs = new ArrayList<>();
			for (int i = 0; i < contexts.size(); i++) {
				String instance = INSTANCES.get(i);
				ThrottlingExecutor executor = contexts.get(i).getBean(ThrottlingExecutor.class);
				runs.add(executor.run("nightly", List.of(1, 2, 3), executor.getDefaults().withExclusive(true),
						(item) -> {
							ranOn.add(instance);
							release.await();
						}));
			}
			int holder = -1;
			for (int i = 0; i < runs.size(); i++) {
				if (runs.get(i).progress().state() != BatchState.SKIPPED) {
					assertThat(holder).as("a second instance runs the exclusive batch").isEqualTo(-1);
					holder = i;
				}
			}
			assertThat(holder).as("one instance runs it").isNotEqualTo(-1);
			String holderId = INSTANCES.get(holder);
			await().atMost(Duration.ofSeconds(10)).until(() -> !ranOn.isEmpty());
			assertThat(ranOn).containsOnly(holderId);
			// the holder dies: its session on the server ends, and the lock with it
			long killedAt = System.nanoTime();
			server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fleet:claim:"
					+ holderId + "'");
			List<String> takenOverBy = new CopyOnWriteArrayList<>();
			int survivor = (holder + 1) % contexts.size();
			ThrottlingExecutor other = contexts.get(survivor).getBean(ThrottlingExecutor.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				BatchRun<Integer> retry = other.run("nightly", List.of(4), other.getDefaults().withExclusive(true),
						(item) -> takenOverBy.add(INSTANCES.get(survivor)));
				return retry.await(Duration.ofSeconds(10)).progress().state() == BatchState.COMPLETED;
			});
			System.out.println("PgBouncer fleet: exclusive batch taken over "
					+ Duration.ofNanos(System.nanoTime() - killedAt).toMillis() + " ms after its holder's session ended");
			assertThat(takenOverBy).containsExactly(INSTANCES.get(survivor));
			release.countDown();
			try {
				BatchRun<Integer> dead = runs.get(holder);
				assertThat(dead.await(Duration.ofSeconds(10)).progress().state()).isEqualTo(BatchState.STOPPED);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			assertThat(ranOn).as("the dead holder took no new item after losing its claim").hasSize(1);
		});
	}

	private static int clientBackends() {
		try (var connection = server.connect("poolguard-test-peak");
				var statement = connection.createStatement();
				var rs = statement.executeQuery(
						"SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
			rs.next();
			return rs.getInt(1);
		}
		catch (Exception ex) {
			return -1;
		}
	}

}
