package io.github.poolguard.integration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import javax.sql.DataSource;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardEndpointAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardHealthAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardLeakAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMetricsAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.health.MonitoredDatabaseHealthIndicator;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.monitor.ServerSample;
import io.github.poolguard.monitor.ConnectionPressureEvent;
import io.github.poolguard.monitor.PressureLevel;
import io.github.poolguard.pressure.PressureSource;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server monitor against a small server ({@code max_connections} 20), with the application
 * logged in as an ordinary role: extra plain connections of another application drive usage
 * past the warning and critical thresholds and back.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerPressureIntegrationTests {

	private static final String PASSWORD = "Zk4-monitor-s3cret";

	private static final String ROLE = "poolguard_app";

	private static PostgresServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				DataSourceAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				DataSourceHealthContributorAutoConfiguration.class))
		.withBean(PressureEvents.class)
		.withPropertyValues("spring.datasource.url=" + jdbcUrl(), "spring.datasource.username=" + ROLE,
				"spring.datasource.password=" + PASSWORD, "spring.application.name=pressure-test",
				"spring.datasource.hikari.maximum-pool-size=2", "spring.datasource.hikari.minimum-idle=2",
				"poolguard.monitor.interval=100ms");

	@BeforeAll
	static void startSmallServer() {
		server = TestPostgres.start(Map.of("max_connections", "20"));
		server.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'unused-with-trust-auth'");
	}

	@AfterAll
	static void stopSmallServer() {
		if (server != null) {
			server.close();
		}
	}

	// A closed session leaves pg_stat_activity shortly after its client closes it: counts taken
	// while the previous test's sessions linger would be off by them.
	@BeforeEach
	void previousTestsSessionsAreGone() {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> server.countConnectionsStartingWith("pressure-test:") == 0
					&& server.countConnections("intruder") == 0 && server.countConnections("forgetful-script") == 0);
	}

	private static String jdbcUrl() {
		return server.jdbcUrl();
	}

	@Test
	void usagePastBothThresholdsIsAWarningNeverDownAndBackUpWithOneEventPerCrossing(CapturedOutput output)
			throws Exception {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			ServerMonitor monitor = context.getBean(ServerMonitor.class);
			HealthIndicator health = context.getBean(ConnectionsHealthIndicator.class);
			PressureEvents events = context.getBean(PressureEvents.class);
			PressureSource pressure = context.getBean("poolGuardServerPressure", PressureSource.class);
			context.getBean(DataSource.class).getConnection().close();
			// a stable baseline before counting: app 2 + monitor 1, no other session
			await().atMost(Duration.ofSeconds(20)).until(() -> sampled(monitor,
					(sample) -> sample.byApplication().getOrDefault("pressure-test:app", 0) == 2 && sample.inUse() == 3
							&& onlyOwnSessions(sample)));
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			assertThat(pressure.currentPressure()).isNull();
			int usable = sample(monitor).usable();
			assertThat(usable).isEqualTo(17);
			List<Connection> extra = new ArrayList<>();
			try {
				openUntil(extra, (int) Math.ceil(usable * 0.80) + 1, monitor);
				awaitIntruders(monitor, extra.size());
				await().atMost(Duration.ofSeconds(20))
					.until(() -> health.health().getStatus().equals(ConnectionsHealthIndicator.WARNING));
				Health warning = health.health();
				assertThat(warning.getDetails().get("warnings")).asString()
					.contains("usable server connections are in use")
					.contains("poolguard.health.warning-threshold");
				ServerSample sample = sample(monitor);
				assertThat(sample.superuser()).isFalse();
				assertThat(sample.instances()).as("the monitor's connection carries the instance id").hasSize(1);
				assertThat(sample.byApplication()).containsEntry("pressure-test:app", 2)
					.containsEntry("pressure-test:monitor:" + sample.instances().get(0), 1)
					.containsKey("intruder");
				assertThat(sample.byState().getOrDefault("unknown", 0))
					.as("other roles' sessions are counted, their state hidden")
					.isGreaterThanOrEqualTo(extra.size());
				assertThat(pressure.currentPressure()).contains("usable server connections are in use");
				openUntil(extra, usable + 1, monitor);
				awaitIntruders(monitor, extra.size());
				await().atMost(Duration.ofSeconds(20))
					.until(() -> "CRITICAL".equals(health.health().getDetails().get("level")));
				Health critical = health.health();
				assertThat(critical.getStatus()).as("a crowded server is never DOWN")
					.isEqualTo(ConnectionsHealthIndicator.WARNING);
				assertThat(critical.getDetails()).doesNotContainKey("reason");
				assertThat(critical.getDetails().get("warnings")).asString().contains("critical threshold 95%");
			}
			finally {
				for (Connection connection : extra) {
					connection.close();
				}
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> health.health().getStatus().equals(Status.UP));
			int published = events.levels().size();
			awaitSamples(monitor, 5);
			assertThat(events.levels()).as("no event without a crossing in 5 more samples").hasSize(published);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			List<List<PressureLevel>> levels = events.levels();
			assertThat(levels).startsWith(List.of(PressureLevel.NORMAL, PressureLevel.WARNING),
					List.of(PressureLevel.WARNING, PressureLevel.CRITICAL));
			// The intruders close one by one; a sample taken half-way sees WARNING on the way down,
			// which is a crossing of its own. Either way each crossing is published exactly once.
			assertThat(levels.subList(2, levels.size())).as("the way down")
				.isIn(List.of(List.of(PressureLevel.CRITICAL, PressureLevel.NORMAL)),
						List.of(List.of(PressureLevel.CRITICAL, PressureLevel.WARNING),
								List.of(PressureLevel.WARNING, PressureLevel.NORMAL)));
		});
		assertThat(output).containsOnlyOnce("connection pressure WARNING")
			.containsOnlyOnce("connection pressure CRITICAL")
			.containsOnlyOnce("connection pressure down from CRITICAL to")
			.contains("to NORMAL")
			.doesNotContain(PASSWORD);
	}

	@Test
	void monitorNeverTakesAPoolConnectionAndKeepsSamplingWhileThePoolIsEmpty() {
		this.runner.run((context) -> {
			ServerMonitor monitor = context.getBean(ServerMonitor.class);
			DataSource appPool = context.getBean(DataSource.class);
			try (Connection first = appPool.getConnection(); Connection second = appPool.getConnection()) {
				var before = monitor.getReading().readAt();
				// the startup check's and the test's own helper sessions leave pg_stat_activity shortly
				// after they close, and a session still logging in (a pool topping up its idle
				// connections) has no application_name yet: wait for a sample without them. A background
				// process counted as a client would show as "(unnamed)" in every sample, so the wait
				// would time out
				await().atMost(Duration.ofSeconds(10))
					.until(() -> monitor.getReading().readAt().isAfter(before) && monitor.getReading().isReachable()
							&& sampled(monitor, (sample) -> !sample.byApplication().containsKey("pressure-test:startup")
									&& !sample.byApplication().containsKey("poolguard-test-admin")
									&& !sample.byApplication().containsKey("(unnamed)")));
				ServerSample whileEmpty = sample(monitor);
				assertThat(server.countConnectionsStartingWith("pressure-test:monitor:")).isOne();
				assertThat(server.countConnections("pressure-test:app")).isEqualTo(2);
				assertThat(whileEmpty.byApplication())
					.as("background processes such as the logical replication launcher are not clients")
					.containsOnlyKeys("pressure-test:app", "pressure-test:monitor:" + whileEmpty.instances().get(0));
			}
			assertThat(context.getBean("dbHealthContributor")).isInstanceOf(MonitoredDatabaseHealthIndicator.class);
			assertThat(((HealthIndicator) context.getBean("dbHealthContributor")).health().getStatus())
				.isEqualTo(Status.UP);
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> server.countConnectionsStartingWith("pressure-test:monitor:") == 0);
	}

	@Test
	void sessionIdleInTransactionLongerThanTheAppPoolsLimitIsAWarning() {
		this.runner.withPropertyValues("poolguard.app.idle-in-transaction-timeout=300ms").run((context) -> {
			HealthIndicator health = context.getBean(ConnectionsHealthIndicator.class);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			// same role as the application: other roles' session states are hidden from it
			try (Connection idle = DriverManager.getConnection(jdbcUrl() + "?ApplicationName=forgetful-script", ROLE,
					"unused")) {
				idle.setAutoCommit(false);
				idle.createStatement().execute("SELECT 1");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> health.health().getStatus().equals(ConnectionsHealthIndicator.WARNING));
				assertThat(health.health().getDetails().get("warnings")).asString()
					.contains("idle in a transaction")
					.contains("poolguard.app.idle-in-transaction-timeout");
				idle.rollback();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.UP));
		});
	}

	@Test
	void warningThresholdNotBelowCriticalFailsStartupNamingTheProperty() {
		this.runner
			.withPropertyValues("poolguard.health.warning-threshold=0.95", "poolguard.health.critical-threshold=0.90")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("poolguard.health.warning-threshold");
			});
		this.runner.withPropertyValues("poolguard.health.critical-threshold=1.5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("poolguard.health.critical-threshold");
		});
	}

	@Test
	void batchPressureLeavesTheBatchsOwnBackgroundConnectionsOut() throws Exception {
		this.runner.withPropertyValues("poolguard.background.hikari.minimum-idle=3").run((context) -> {
			ServerMonitor monitor = context.getBean(ServerMonitor.class);
			PressureSource pressure = context.getBean("poolGuardServerPressure", PressureSource.class);
			Workload.BACKGROUND.call(() -> {
				context.getBean(DataSource.class).getConnection().close();
				return null;
			});
			// a stable baseline before counting: the background pool's 3 and the monitor, no other session
			// (counting from a sample with a lingering one would open one intruder too few or too many)
			await().atMost(Duration.ofSeconds(20)).until(() -> sampled(monitor,
					(sample) -> sample.byApplication().getOrDefault("pressure-test:background", 0) == 3
							&& onlyOwnSessions(sample)));
			List<Connection> extra = new ArrayList<>();
			try {
				openUntil(extra, 15, monitor);
				await().atMost(Duration.ofSeconds(20)).until(() -> sampled(monitor, (sample) -> sample.inUse() == 15));
				assertThat(monitor.getReading().level()).as("15 of 17 in use").isEqualTo(PressureLevel.WARNING);
				assertThat(pressure.currentPressure()).as("12 of 17 besides the background pool's 3").isNull();
				openUntil(extra, 17, monitor);
				await().atMost(Duration.ofSeconds(20)).until(() -> sampled(monitor, (sample) -> sample.inUse() == 17));
				assertThat(pressure.currentPressure()).contains("14 of 17 usable server connections are in use besides"
						+ " the application's background work");
			}
			finally {
				for (Connection connection : extra) {
					connection.close();
				}
			}
		});
	}

	@Test
	void batchPressureLeavesOtherInstancesBackgroundConnectionsOutToo() throws Exception {
		this.runner.run((context) -> {
			ServerMonitor monitor = context.getBean(ServerMonitor.class);
			PressureSource pressure = context.getBean("poolGuardServerPressure", PressureSource.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> sampled(monitor, ServerPressureIntegrationTests::onlyOwnSessions));
			List<Connection> extra = new ArrayList<>();
			try {
				// another instance's batch, as the fleet sized it: waiting for it would only slow both
				for (int i = sample(monitor).inUse(); i < 16; i++) {
					extra.add(server.connect("pressure-test:background:other1"));
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> sampled(monitor, (sample) -> sample.inUse() == 16));
				assertThat(monitor.getReading().level()).as("16 of 17 in use").isNotEqualTo(PressureLevel.NORMAL);
				assertThat(pressure.currentPressure()).isNull();
			}
			finally {
				for (Connection connection : extra) {
					connection.close();
				}
			}
		});
	}

	// for Awaitility conditions: false, never an exception, until the monitor's first sample exists
	private static boolean sampled(ServerMonitor monitor, Predicate<ServerSample> condition) {
		ServerSample sample = monitor.getReading().sample();
		return sample != null && condition.test(sample);
	}

	// the sample counts only the application's own pools and monitor: the startup check's session
	// and the test's helper sessions have left
	private static boolean onlyOwnSessions(ServerSample sample) {
		return !sample.byApplication().containsKey("pressure-test:startup") && sample.inUse() == sample.byApplication()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith("pressure-test:"))
			.mapToInt(Map.Entry::getValue)
			.sum();
	}

	private static void awaitIntruders(ServerMonitor monitor, int intruders) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> sampled(monitor, (sample) -> sample.byApplication().getOrDefault("intruder", 0) == intruders));
	}

	private static ServerSample sample(ServerMonitor monitor) {
		ServerSample sample = monitor.getReading().sample();
		assertThat(sample).isNotNull();
		return sample;
	}

	private static void openUntil(List<Connection> extra, int inUse, ServerMonitor monitor) throws SQLException {
		int missing = inUse - sample(monitor).inUse();
		for (int i = 0; i < missing; i++) {
			extra.add(server.connect("intruder"));
		}
	}

	private static void awaitSamples(ServerMonitor monitor, int samples) {
		for (int i = 0; i < samples; i++) {
			var last = monitor.getReading().readAt();
			await().atMost(Duration.ofSeconds(5)).until(() -> monitor.getReading().readAt().isAfter(last));
		}
	}

	static class PressureEvents implements ApplicationListener<ConnectionPressureEvent> {

		private final List<ConnectionPressureEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ConnectionPressureEvent event) {
			this.events.add(event);
		}

		List<List<PressureLevel>> levels() {
			return this.events.stream().map((event) -> List.of(event.getPreviousLevel(), event.getLevel())).toList();
		}

	}

}
