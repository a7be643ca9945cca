package io.github.poolguard.batch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardBatchAutoConfiguration;
import io.github.poolguard.internal.batch.AdvisoryLockClaims;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import io.github.poolguard.test.MonitorRecordingSocketFactory.Write;
import io.github.poolguard.test.MonitorRecordingSocketFactory;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No PoolGuard path a virtual thread can take holds an object monitor while it talks to the
 * server (a monitor held across blocking I/O pins the carrier thread on JDK 21 to 23): every
 * write each connection makes is recorded with the monitors its thread holds, on a real
 * PostgreSQL server. Each test first shows that a monitor held across a write is seen, so it
 * cannot pass because nothing was recorded. Runs on every JDK: it checks the code's structure,
 * which JDK 24+ no longer reports as pinning.
 */
class NoMonitorAcrossIoTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final BatchOptions OPTIONS = new BatchOptions(1, 3, Duration.ZERO, 1, Duration.ZERO, false);

	private static String recordingUrl() {
		return server.jdbcUrl() + (server.jdbcUrl().contains("?") ? "&" : "?")
				+ MonitorRecordingSocketFactory.urlParameter();
	}

	@Test
	void anExclusiveRunChecksItsClaimOnTheServerHoldingNoMonitor() throws Exception {
		try (Connection connection = DriverManager.getConnection(recordingUrl(), server.username(), server.password())) {
			MonitorRecordingSocketFactory.clear();
			HeldMonitor held = new HeldMonitor();
			synchronized (held) {
				assertThat(connection.isValid(2)).isTrue();
			}
			assertThat(MonitorRecordingSocketFactory.writes()).as("the control: a monitor held across a write is seen")
				.anySatisfy((write) -> assertThat(write.monitors()).contains(HeldMonitor.class.getName()));
		}
		ThrottlingExecutor claimed = ThrottlingExecutor.builder(OPTIONS)
			.maxConcurrency(2)
			.queueCapacity(10)
			.shutdownGracePeriod(Duration.ofSeconds(5))
			.claims(new AdvisoryLockClaims(new ServerConnector(recordingUrl(), server.username(), server.password(),
					ConnectionNames.of("pinning", "claim", null)), "pinning"))
			.build();
		MonitorRecordingSocketFactory.clear();
		try {
			BatchReport<Integer> report = claimed
				.run("nightly", List.of(1, 2, 3, 4, 5, 6), OPTIONS.withExclusive(true), (item) -> {
				})
				.await(Duration.ofSeconds(10));
			assertThat(report.progress().state()).isEqualTo(BatchState.COMPLETED);
			List<Write> writes = MonitorRecordingSocketFactory.writes();
			assertThat(writes).as("claim checks from the workers that ended items")
				.anySatisfy((write) -> assertThat(write.thread()).startsWith("poolguard-batch-"));
			assertThat(writes).allSatisfy((write) -> assertThat(write.monitors())
				.noneMatch((monitor) -> monitor.startsWith("io.github.poolguard.")));
		}
		finally {
			claimed.stop();
		}
	}

	@Test
	void theBackgroundPoolStartsWithoutIoInsideHikarisSynchronizedStart() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					PoolGuardAutoConfiguration.class, PoolGuardBatchAutoConfiguration.class))
			.withPropertyValues("spring.application.name=pinning", "spring.datasource.url=" + recordingUrl(),
					"spring.datasource.username=" + server.username(),
					"spring.datasource.password=" + server.password(), "poolguard.monitor.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WorkloadRoutingDataSource routing = (WorkloadRoutingDataSource) context.getBean(DataSource.class);
				HikariDataSource appPool = (HikariDataSource) routing.getPool(Workload.APP);
				HikariDataSource backgroundPool = (HikariDataSource) routing.getPool(Workload.BACKGROUND);
				assertThat(appPool.getHikariPoolMXBean()).as("not started yet").isNull();
				assertThat(backgroundPool.getHikariPoolMXBean()).as("not started yet").isNull();

				MonitorRecordingSocketFactory.clear();
				routing.getConnection().close();
				assertThat(MonitorRecordingSocketFactory.writes())
					.as("the control: Boot's app pool fails fast, opening a connection inside its start")
					.anySatisfy((write) -> assertThat(write.monitors()).contains(HikariDataSource.class.getName()));

				MonitorRecordingSocketFactory.clear();
				Workload.BACKGROUND.call(() -> {
					routing.getConnection().close();
					return null;
				});
				assertThat(backgroundPool.getHikariPoolMXBean()).as("started").isNotNull();
				List<Write> writes = MonitorRecordingSocketFactory.writes();
				assertThat(writes).as("a background connection was opened").isNotEmpty();
				assertThat(writes).allSatisfy((write) -> assertThat(write.monitors())
					.doesNotContain(HikariDataSource.class.getName()));
			});
	}

	/**
	 * The control's monitor: a class of its own, so that its name identifies it.
	 */
	private static final class HeldMonitor {

	}

}
