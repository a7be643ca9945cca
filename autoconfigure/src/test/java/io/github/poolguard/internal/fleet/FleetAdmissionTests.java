package io.github.poolguard.internal.fleet;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.routing.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;

/**
 * How a starting instance joins when the server refuses its first login for want of a slot.
 * The server's answers are scripted; the pools are configured but not started.
 */
class FleetAdmissionTests {

	private static final InstanceDemand DEMAND = new InstanceDemand(6, 2, 2, 1);

	private final HikariDataSource appPool = pool(6);

	private final HikariDataSource backgroundPool = pool(2);

	private final FleetSizing sizing = new FleetSizing("self", DEMAND, new PoolResizer(this.appPool, "app"),
			new PoolResizer(this.backgroundPool, "background"), (serving) -> {
			}, Duration.ofMillis(300));

	@AfterEach
	void closePools() {
		this.appPool.close();
		this.backgroundPool.close();
	}

	@Test
	void aServerWithNoSlotLeftKeepsAStartingInstanceOutOfServiceInsteadOfAtItsConfiguredSizes() {
		AtomicInteger attempts = new AtomicInteger();
		FleetAdmission admission = new FleetAdmission(this.sizing, () -> {
			attempts.incrementAndGet();
			throw new SQLException("FATAL: sorry, too many clients already", "53300");
		}, (connection) -> {
			throw new AssertionError("no connection to read on");
		}, (connection) -> {
		}, Duration.ofMillis(300), Duration.ofMillis(20), "self-test");
		admission.join();
		assertThat(attempts).as("logins tried within the join timeout").hasValueGreaterThan(1);
		assertThat(this.sizing.isAdmitted()).isFalse();
		assertThat(this.sizing.getShare()).isNotNull();
		assertThat(this.sizing.getShare().arithmetic()).contains("53300").contains("poolguard.fleet.join-timeout");
		assertThatExceptionOfType(SQLTransientConnectionException.class)
			.isThrownBy(() -> admission.beforeLogin("app"))
			.withMessageContaining("out of service");
	}

	@Test
	void aLoginRefusedOnceIsTriedAgainAndTheInstanceJoinsAtItsShare() throws SQLException {
		AtomicInteger attempts = new AtomicInteger();
		Connection connection = mock(Connection.class);
		FleetAdmission admission = new FleetAdmission(this.sizing, () -> {
			if (attempts.incrementAndGet() == 1) {
				throw new SQLException("FATAL: remaining connection slots are reserved", "53300");
			}
			return connection;
		}, (ignored) -> new FleetView(15, 9, 0, List.of("other", "self"), Map.of("other", 7, "self", 0)),
				(ignored) -> {
				}, Duration.ofSeconds(5), Duration.ofMillis(20), "self-test");
		admission.join();
		assertThat(attempts).hasValue(2);
		assertThat(this.sizing.isAdmitted()).isTrue();
		assertThat(this.appPool.getMaximumPoolSize()).as("app 2 + 3 of the 7 above the floors").isEqualTo(5);
		assertThat(this.backgroundPool.getMaximumPoolSize()).isEqualTo(1);
		admission.pass(Workload.APP);
	}

	private static HikariDataSource pool(int max) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/never-started");
		pool.setMaximumPoolSize(max);
		pool.setMinimumIdle(0);
		return pool;
	}

}
