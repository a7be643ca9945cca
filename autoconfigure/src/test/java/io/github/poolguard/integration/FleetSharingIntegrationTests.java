package io.github.poolguard.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.LoggedServer;
import io.github.poolguard.test.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Instances of one application on one real server with a small {@code max_connections}: the
 * server's own log is read for refused logins, and {@code pg_stat_activity} for the sessions the
 * fleet holds. Every instance is loaded: eight threads keep its app pool busy and two its
 * background pool.
 */
@ExtendWith(OutputCaptureExtension.class)
class FleetSharingIntegrationTests {

	private static final String PASSWORD = "Sh4re-the-s3rver";

	private static final String APP = "share";

	// 30 − 3 superuser-reserved − 3 kept free (poolguard.budget.reserved-connections).
	private static final int USABLE = 24;

	private static LoggedServer logged;

	private static PostgresServer server;

	@BeforeAll
	static void startServer() throws IOException {
		logged = LoggedServer.start(Map.of("max_connections", "30", "superuser_reserved_connections", "3"));
		server = logged.server();
		server.execute("CREATE ROLE fleet_share LOGIN PASSWORD '" + PASSWORD + "'");
	}

	@AfterAll
	static void stopServer() throws IOException {
		if (logged != null) {
			logged.close();
		}
	}

	@Test
	void aSurgeFromTwoToFourLoadedInstancesIsRefusedNothingAndTheSurvivorsGrowBack(CapturedOutput output)
			throws Exception {
		String url = server.createDatabase("surge");
		int refusedBefore = logged.refusals().size();
		List<Instance> fleet = new ArrayList<>();
		try (FleetPeak peak = new FleetPeak(server, APP + ":")) {
			fleet.add(Instance.start(url, "a"));
			fleet.add(Instance.start(url, "b"));
			await().atMost(Duration.ofSeconds(30)).until(() -> server.countConnectionsStartingWith(APP + ":app") >= 12);
			List<Instance> surge = Stream.of("c", "d").parallel().map((id) -> Instance.start(url, id)).toList();
			fleet.addAll(surge);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> fleet.stream().allMatch((instance) -> instance.appMax() < 6 && instance.served() > 0));
			assertThat(fleet).allSatisfy((instance) -> assertThat(instance.appMax()).isGreaterThanOrEqualTo(2));
			long total = fleet.stream().mapToLong((instance) -> instance.appMax() + instance.backgroundMax() + 1L).sum();
			assertThat(total).as("the four shares together").isLessThanOrEqualTo(USABLE);
			Instance newcomer = surge.get(0);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> newcomer.healthShowsLiveMaximum() && newcomer.appMax() < 6);
			assertThat(newcomer.health().getDetails().get("warnings")).asString()
				.doesNotContain("Lower the pool sizes");
			for (Instance instance : surge) {
				instance.close();
			}
			fleet.removeAll(surge);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> fleet.stream().allMatch((instance) -> instance.appMax() == 6 && instance.backgroundMax() == 2));
			assertThat(peak.max()).as("fleet sessions at any time").isLessThanOrEqualTo(USABLE);
		}
		finally {
			fleet.forEach(Instance::close);
		}
		assertThat(fleet).allSatisfy((instance) -> assertThat(instance.failed()).isZero());
		assertThat(logged.refusals()).as("logins the server refused").hasSize(refusedBefore);
		assertThat(output).contains("app pool maximum 6 → ").contains("PoolGuard: app pool maximum")
			.doesNotContain(PASSWORD);
	}

	@Test
	void anInstanceTheFleetHasNoRoomForStaysOutOfServiceAndOpensNothingUntilAnotherLeaves(CapturedOutput output)
			throws Exception {
		String url = server.createDatabase("floor");
		int refusedBefore = logged.refusals().size();
		// usable 15 (30 − 3 − 12 kept free); floor 1 monitor + app 5 + background 1 = 7: room for two
		String[] floor = { "poolguard.fleet.min-app-pool=5", "poolguard.budget.reserved-connections=12",
				"poolguard.fleet.join-timeout=2s", "poolguard.background.hikari.connection-timeout=2000" };
		try (Instance first = Instance.start(url, "f1", floor); Instance second = Instance.start(url, "f2", floor)) {
			Instance third = Instance.start(url, "f3", floor);
			try {
				assertThat(third.ready()).as("ready as soon as it has started").isFalse();
				assertThat(third.served()).isZero();
				assertThat(third.failed()).isPositive();
				// the pools themselves, injected as @AppPool / @BackgroundPool, pass the admission too
				for (String pool : List.of(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME,
						PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME)) {
					assertThatException().isThrownBy(() -> third.pool(pool).getConnection().close())
						.withStackTraceContaining("this instance has no share of the server's connections");
				}
				assertThat(server.countConnections(APP + ":app:f3") + server.countConnections(APP + ":background:f3"))
					.as("connections the third instance opened")
					.isZero();
				assertThat(output).contains("this instance gets no share of the server's connections and stays out of"
						+ " service").contains("room for 2, this instance is number 3");
				assertThat(first.ready()).isTrue();
				assertThat(first.served()).isPositive();
				second.close();
				await().atMost(Duration.ofSeconds(30)).until(() -> third.ready() && third.served() > 0);
				assertThat(output).contains("this instance is back in service");
			}
			finally {
				third.close();
			}
		}
		assertThat(logged.refusals()).as("logins the server refused").hasSize(refusedBefore);
	}

	@Test
	void withSharingOffThePoolsKeepTheirSizesAndTheFleetIsOnlyReported(CapturedOutput output) {
		String url = server.createDatabase("off");
		// 3 × 9 = 27 > 24 usable: shared, each would shrink; off, each keeps its configured sizes
		String[] off = { "poolguard.fleet.sharing=off", "poolguard.budget.on-overcommit=warn" };
		try (Instance first = Instance.start(url, "o1", off); Instance second = Instance.start(url, "o2", off);
				Instance third = Instance.start(url, "o3", off)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> output.toString().contains("3 instances of this application"));
			assertThat(List.of(first, second, third)).allSatisfy((instance) -> {
				assertThat(instance.appMax()).isEqualTo(6);
				assertThat(instance.backgroundMax()).isEqualTo(2);
			});
		}
		assertThat(output).doesNotContain("PoolGuard: app pool maximum").doesNotContain("fleet sharing:");
	}

	/**
	 * One loaded instance: its context and the threads that keep its pools busy.
	 */
	static final class Instance implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong served = new AtomicLong();

		private final AtomicInteger failed = new AtomicInteger();

		private final List<Thread> threads = new ArrayList<>();

		private Instance(ConfigurableApplicationContext context) {
			this.context = context;
			DataSource dataSource = context.getBean(DataSource.class);
			for (int i = 0; i < 10; i++) {
				Workload workload = (i < 8) ? Workload.APP : Workload.BACKGROUND;
				Thread thread = new Thread(() -> load(dataSource, workload), "load-" + i);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		static Instance start(String url, String id, String... more) {
			List<String> properties = new ArrayList<>(List.of("spring.application.name=" + APP,
					"spring.datasource.url=" + url, "spring.datasource.username=fleet_share",
					"spring.datasource.password=" + PASSWORD, "spring.datasource.hikari.maximum-pool-size=6",
					"spring.datasource.hikari.connection-timeout=30000", "poolguard.background.hikari.maximum-pool-size=2",
					"poolguard.instance-id=" + id, "poolguard.monitor.interval=200ms"));
			properties.addAll(List.of(more));
			return new Instance(new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
				.properties(properties.toArray(String[]::new))
				.run());
		}

		private void load(DataSource dataSource, Workload workload) {
			while (this.running.get()) {
				try {
					workload.call(() -> {
						try (Connection connection = dataSource.getConnection();
								Statement statement = connection.createStatement()) {
							statement.execute("SELECT pg_sleep(0.02)");
						}
						return null;
					});
					this.served.incrementAndGet();
				}
				catch (Exception ex) {
					if (this.running.get()) {
						this.failed.incrementAndGet();
					}
				}
			}
		}

		DataSource pool(String name) {
			return this.context.getBean(name, DataSource.class);
		}

		int appMax() {
			return this.context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME, HikariDataSource.class)
				.getMaximumPoolSize();
		}

		int backgroundMax() {
			return this.context.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME, HikariDataSource.class)
				.getMaximumPoolSize();
		}

		long served() {
			return this.served.get();
		}

		int failed() {
			return this.failed.get();
		}

		Health health() {
			return this.context.getBean(ConnectionsHealthIndicator.class).health();
		}

		// the health details show the pool's live maximum and the same number as this instance's share
		boolean healthShowsLiveMaximum() {
			Map<String, Object> details = health().getDetails();
			int max = appMax();
			return (details.get("pools") instanceof Map<?, ?> pools && pools.get("app") instanceof Map<?, ?> app
					&& Integer.valueOf(max).equals(app.get("max"))) && details.get("fleet") instanceof Map<?, ?> fleet
					&& fleet.get("share") instanceof Map<?, ?> share && Integer.valueOf(max).equals(share.get("app"));
		}

		boolean ready() {
			return this.context.getBean(ApplicationAvailability.class).getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
		}

		@Override
		public void close() {
			if (this.running.compareAndSet(true, false)) {
				for (Thread thread : this.threads) {
					try {
						thread.join();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				this.context.close();
			}
		}

	}

	/**
	 * The most sessions the fleet held at once, sampled on one connection of the test's own.
	 */
	static final class FleetPeak implements AutoCloseable {

		private final AtomicBoolean sampling = new AtomicBoolean(true);

		private final AtomicInteger peak = new AtomicInteger();

		private final Thread sampler;

		FleetPeak(PostgresServer server, String prefix) throws SQLException {
			Connection connection = server.connect("poolguard-test-peak");
			this.sampler = new Thread(() -> {
				try (connection; Statement statement = connection.createStatement()) {
					while (this.sampling.get()) {
						try (ResultSet rs = statement.executeQuery(
								"SELECT count(*) FROM pg_stat_activity WHERE starts_with(application_name, '" + prefix + "')")) {
							rs.next();
							this.peak.accumulateAndGet(rs.getInt(1), Math::max);
						}
					}
				}
				catch (SQLException ex) {
					throw new UncheckedIOException(new IOException(ex));
				}
			}, "fleet-peak");
			this.sampler.setDaemon(true);
			this.sampler.start();
		}

		int max() {
			return this.peak.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.sampling.set(false);
			this.sampler.join();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
			"org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration",
			"org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration" })
	static class App {

	}

}
