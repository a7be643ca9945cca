package io.github.poolguard.internal.monitor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the monitor's connection survives and what ends it, on a server of its own: a lock
 * held here stops every login on it for a while.
 */
class ServerMonitorFaultsTests {

	private static PostgresServer server;

	@BeforeAll
	static void startServer() {
		server = TestPostgres.start(Map.of("max_connections", "30"));
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void aSampleThatTimesOutKeepsTheConnectionAndTheInstanceKeepsItsPlace() throws Exception {
		ServerMonitor monitor = monitor("timeout-test", "m1", Duration.ofMillis(100), Duration.ofMillis(500), () -> 0);
		try (Connection admin = server.connect("poolguard-test-admin")) {
			monitor.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> monitor.getReading().isReachable());
			// a second instance that began after this one: it comes second in the fleet's order
			try (Connection later = server.connect(ConnectionNames.of("timeout-test", ConnectionNames.MONITOR, "m2"))) {
				await().atMost(Duration.ofSeconds(10)).until(() -> instances(monitor).equals("[m1, m2]"));
				String before = monitorBackend(admin, "timeout-test:monitor:m1");
				admin.setAutoCommit(false);
				try (Statement statement = admin.createStatement()) {
					// the sampler reads pg_roles, which joins pg_db_role_setting: its query waits
					// on this lock until its statement timeout cancels it (57014)
					statement.execute("LOCK TABLE pg_db_role_setting IN ACCESS EXCLUSIVE MODE");
					await().atMost(Duration.ofSeconds(10)).until(() -> timedOut(monitor.getReading()));
				}
				finally {
					admin.commit();
					admin.setAutoCommit(true);
				}
				Instant released = Instant.now();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> monitor.getReading().isReachable() && monitor.getReading().failure() == null
							&& monitor.getReading().sample().sampledAt().isAfter(released));
				assertThat(monitorBackend(admin, "timeout-test:monitor:m1")).isEqualTo(before);
				assertThat(monitor.getReading().sample().instances()).containsExactly("m1", "m2");
			}
		}
		finally {
			monitor.close();
		}
	}

	@Test
	void theServerEndsTheSessionOfAMonitorThatStoppedSamplingAndTheFleetNoLongerCountsItsInstance()
			throws Exception {
		CountDownLatch thaw = new CountDownLatch(1);
		AtomicBoolean frozen = new AtomicBoolean();
		// the monitor's own thread stops in the middle of its schedule, as in a frozen JVM
		ServerMonitor stopped = monitor("freeze-test", "m1", Duration.ofMillis(100), Duration.ofMillis(500), () -> {
			if (frozen.get()) {
				awaitQuietly(thaw);
			}
			return 0;
		});
		ServerMonitor live = monitor("freeze-test", "m2", Duration.ofMillis(100), Duration.ofMillis(500), () -> 0);
		try (Connection stoppedPool = server.connect(ConnectionNames.of("freeze-test", ConnectionNames.APP, "m1"))) {
			stopped.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> stopped.getReading().isReachable());
			live.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> instances(live).equals("[m1, m2]"));
			frozen.set(true);
			Duration limit = stopped.getIdleLimit();
			assertThat(limit).isEqualTo(ServerMonitor.MIN_IDLE_LIMIT);
			await().atMost(limit.plusSeconds(20))
				.until(() -> server.countConnectionsStartingWith("freeze-test:monitor:m1") == 0);
			// the stopped instance's pool session still holds a connection: it counts as held
			await().atMost(Duration.ofSeconds(10))
				.until(() -> instances(live).equals("[m2]") && live.getReading().sample().otherClients() == 1);
		}
		finally {
			thaw.countDown();
			stopped.close();
			live.close();
		}
	}

	@Test
	void aMonitorIdleForLongerThanTheLimitItNotedIsNoInstanceEvenWhileTheServerKeepsItsSession()
			throws Exception {
		ServerMonitor live = monitor("idle-test", "m1", Duration.ofMillis(100), Duration.ofMillis(500), () -> 0);
		try {
			live.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> instances(live).equals("[m1]"));
			// a monitor session without idle_session_timeout, as on PostgreSQL 13, noting a 2 s limit
			try (Connection quiet = server.connect(ConnectionNames.of("idle-test", ConnectionNames.MONITOR, "q1"));
					Connection quietPool = server.connect(ConnectionNames.of("idle-test", ConnectionNames.APP, "q1"));
					Statement statement = quiet.createStatement()) {
				statement.execute("/* poolguard pools=4 */ /* poolguard idle-limit=2000 */ SELECT 1");
				// seen, with its note, while it is idle for less than its limit
				await().atMost(Duration.ofSeconds(10))
					.until(() -> instances(live).equals("[m1, q1]") && published(live).equals("{q1=4}"));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> instances(live).equals("[m1]") && live.getReading().sample().otherClients() == 2);
				assertThat(quiet.isClosed()).isFalse();
				assertThat(published(live)).isEqualTo("{}");
			}
		}
		finally {
			live.close();
		}
	}

	@Test
	void theMonitorSessionSetsAnIdleSessionTimeoutFromPostgreSql14On() {
		ServerMonitor monitor = monitor("settings-test", "m1", Duration.ofSeconds(10), Duration.ofSeconds(2),
				() -> 0);
		assertThat(monitor.getIdleLimit()).isEqualTo(Duration.ofSeconds(32));
		// the settings the monitor's connection applies, from the monitor's own times
		MonitorTiming timing = MonitorTiming.of(monitor.getInterval(), monitor.getQueryTimeout());
		assertThat(timing.sessionSettings(14)).contains("SET statement_timeout = 2000")
			.contains("SET idle_session_timeout = 32000")
			.contains("SET tcp_keepalives_idle = 32")
			.contains("SET tcp_keepalives_interval = 10")
			.contains("SET tcp_keepalives_count = 3")
			.contains("SET tcp_user_timeout = 32000");
		assertThat(timing.sessionSettings(13)).doesNotContain("idle_session_timeout")
			.contains("SET tcp_keepalives_idle = 32");
		assertThat(timing.sessionSettings(11)).doesNotContain("tcp_user_timeout");
		monitor.close();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean timedOut(ServerReading reading) {
		return reading.failure() != null && reading.failure().contains("took longer than");
	}

	private static String instances(ServerMonitor monitor) {
		ServerSample sample = monitor.getReading().sample();
		return (sample != null) ? sample.instances().toString() : "";
	}

	private static String published(ServerMonitor monitor) {
		ServerSample sample = monitor.getReading().sample();
		return (sample != null) ? sample.published().toString() : "";
	}

	// the backend's pid and when it began: the same only for the same connection
	private static String monitorBackend(Connection admin, String name) throws SQLException {
		try (Statement statement = admin.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pid, backend_start FROM pg_stat_activity"
						+ " WHERE application_name = '" + name + "'")) {
			StringBuilder backends = new StringBuilder();
			while (rs.next()) {
				backends.append(rs.getInt(1)).append('@').append(rs.getString(2)).append(';');
			}
			return backends.toString();
		}
	}

	private static ServerMonitor monitor(String application, String instance, Duration interval,
			Duration queryTimeout, IntSupplier waiters) {
		ServerConnector connector = new ServerConnector(server.jdbcUrl(), server.username(), server.password(),
				ConnectionNames.of(application, ServerMonitor.CONNECTION_ROLE, instance));
		return new ServerMonitor(connector, ConnectionNames.applicationPart(application), interval, queryTimeout,
				new PressureThresholds(0.8, 0.95), waiters, (event) -> {
				}, server.password());
	}

}
