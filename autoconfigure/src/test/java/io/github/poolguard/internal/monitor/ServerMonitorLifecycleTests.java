package io.github.poolguard.internal.monitor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor's threading and lifecycle: it samples and calls listeners on its own thread
 * without holding its lock, and once closed it never samples or connects again.
 */
class ServerMonitorLifecycleTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void samplesOnItsOwnThreadAndCallsListenersWithoutItsLock() {
		List<String> samplingThreads = new CopyOnWriteArrayList<>();
		List<Boolean> lockHeldInListener = new CopyOnWriteArrayList<>();
		ServerMonitor[] self = new ServerMonitor[1];
		ServerMonitor monitor = monitor("lifecycle-a", () -> {
			samplingThreads.add(Thread.currentThread().getName());
			return 0;
		});
		self[0] = monitor;
		monitor.onInstancesChanged((ids) -> lockHeldInListener.add(Thread.holdsLock(self[0])));
		try {
			monitor.start();
			assertThat(monitor.isRunning()).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> monitor.getReading().isReachable());
			await().atMost(Duration.ofSeconds(10)).until(() -> !lockHeldInListener.isEmpty());
			assertThat(samplingThreads).isNotEmpty().containsOnly("poolguard-monitor");
			assertThat(lockHeldInListener).containsOnly(false);
			assertThat(monitor.getReading().sample().instances()).containsExactly("m1");
		}
		finally {
			monitor.close();
		}
	}

	@Test
	void aClosedMonitorStaysClosed() {
		ServerMonitor monitor = monitor("lifecycle-b", () -> 0);
		monitor.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> monitor.getReading().isReachable());
		assertThat(server.countConnectionsStartingWith("lifecycle-b:monitor:")).isOne();
		monitor.close();
		// the backend leaves pg_stat_activity shortly after the client closes its connection
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.countConnectionsStartingWith("lifecycle-b:monitor:") == 0);
		monitor.start();
		assertThat(monitor.isRunning()).isFalse();
		assertThat(monitor.isClosed()).isTrue();
		assertThat(server.countConnectionsStartingWith("lifecycle-b:monitor:")).isZero();
	}

	private static ServerMonitor monitor(String application, java.util.function.IntSupplier waiters) {
		ServerConnector connector = new ServerConnector(server.jdbcUrl(), server.username(), server.password(),
				ConnectionNames.of(application, ServerMonitor.CONNECTION_ROLE, "m1"));
		return new ServerMonitor(connector, ConnectionNames.applicationPart(application), Duration.ofMillis(100),
				Duration.ofSeconds(2), new PressureThresholds(0.8, 0.95), waiters, (event) -> {
				}, server.password());
	}

}
