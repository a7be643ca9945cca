package io.github.poolguard.internal.fleet;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.test.LoggedServer;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.QueryLoad;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link PoolResizer} on a running HikariCP pool of 10 against a real server that logs every
 * login ({@code log_connections}): the server's log counts the logins to each test's database,
 * and {@code pg_stat_activity} the sessions the pool holds. Monitor samples are played by calling
 * {@link PoolResizer#trim()}, as the fleet does on every sample.
 */
@ExtendWith(OutputCaptureExtension.class)
class PoolResizerIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static LoggedServer logged;

	private static PostgresServer server;

	@BeforeAll
	static void startServer() throws IOException {
		logged = LoggedServer.start(Map.of("log_connections", "on"));
		server = logged.server();
	}

	@AfterAll
	static void stopServer() throws IOException {
		if (logged != null) {
			logged.close();
		}
	}

	@Test
	void whenTheFleetShrinksAPoolByOneItClosesOneConnectionAndGrowingOpensOnlyWhatItAdds() throws Exception {
		try (Pool pool = Pool.start("resize_steps")) {
			List<Holder> holders = pool.hold(4);
			Set<String> backends = pool.backends();
			assertThat(backends).hasSize(10);
			assertThat(pool.logins()).isEqualTo(10);
			Map<Integer, Long> loginsByShrink = new LinkedHashMap<>();
			Map<Integer, Integer> sessionsAfterShrink = new LinkedHashMap<>();
			for (int max = 9; max >= 4; max--) {
				long before = pool.logins();
				pool.resizer.resize(max, "a shrink by one");
				int target = max;
				await().atMost(PATIENCE).until(() -> pool.sessions() == target);
				loginsByShrink.put(max, pool.logins() - before);
				sessionsAfterShrink.put(max, pool.sessions());
			}
			// Four connections are in use: a shrink to 3 closes the fourth when it is returned.
			long before = pool.logins();
			pool.resizer.resize(3, "a shrink by one below the connections in use");
			assertThat(pool.sessions()).as("sessions while four are in use").isEqualTo(4);
			holders.get(0).giveBack();
			await().atMost(PATIENCE).until(pool.sampledUntil(() -> pool.sessions() == 3));
			holders.subList(1, 4).forEach(Holder::giveBack);
			loginsByShrink.put(3, pool.logins() - before);
			sessionsAfterShrink.put(3, pool.sessions());
			assertThat(loginsByShrink).as("logins during each shrink by one (by new maximum)").allSatisfy(
					(max, logins) -> assertThat(logins).isZero());
			assertThat(sessionsAfterShrink).as("sessions after each shrink by one (by new maximum)")
				.allSatisfy((max, sessions) -> assertThat(sessions).isEqualTo(max));
			assertThat(backends).as("the pool's sessions are some of those it opened at first")
				.containsAll(pool.backends());
			assertThat(holders).allSatisfy((holder) -> assertThat(holder.failures()).isZero());
			assertThat(holders).allSatisfy((holder) -> assertThat(holder.queries()).isPositive());
			Map<Integer, Long> loginsByGrowth = new LinkedHashMap<>();
			for (int max = 4; max <= 10; max++) {
				long beforeGrowth = pool.logins();
				pool.resizer.resize(max, "a growth by one");
				pool.borrowAll(max);
				int target = max;
				await().atMost(PATIENCE).until(() -> pool.sessions() == target);
				loginsByGrowth.put(max, pool.logins() - beforeGrowth);
			}
			assertThat(loginsByGrowth).as("logins when growing by one and using every connection (by new maximum)")
				.allSatisfy((max, logins) -> assertThat(logins).isEqualTo(1));
			assertThat(pool.logins()).as("logins: the first 10 and the 7 the pool grew back").isEqualTo(17);
			assertThat(pool.timeouts()).as("connection timeouts HikariCP counted").isZero();
		}
	}

	@ParameterizedTest(name = "reaching HikariCP's eviction: {0}")
	@ValueSource(booleans = { true, false })
	void whenAPoolShrinksBelowTheConnectionsInUseItClosesTheIdleOnesAtOnceAndTheBusyOnesAsTheyAreReturned(
			boolean exact, CapturedOutput output) throws Exception {
		try (Pool pool = Pool.start("resize_busy_" + exact, exact)) {
			List<Holder> holders = pool.hold(7);
			pool.resizer.resize(5, "a shrink by five");
			await().atMost(PATIENCE).until(() -> pool.sessions() == 7);
			assertThat(output).contains("app pool maximum 10 → 5 (configured 10): a shrink by five; closed 3 idle"
					+ " connection(s), 2 in use will close when returned.");
			holders.get(0).giveBack();
			await().atMost(PATIENCE).until(pool.sampledUntil(() -> pool.sessions() == 6));
			holders.get(1).giveBack();
			await().atMost(PATIENCE).until(pool.sampledUntil(() -> pool.sessions() == 5));
			holders.subList(2, 7).forEach(Holder::giveBack);
			assertThat(pool.resizer.trim()).as("connections closed once the pool holds its maximum").isZero();
			assertThat(pool.sessions()).isEqualTo(5);
			assertThat(pool.logins()).as("logins: only the first 10").isEqualTo(10);
			assertThat(holders).allSatisfy((holder) -> assertThat(holder.failures()).isZero());
		}
	}

	@Test
	void whileThreadsKeepBorrowingAndReturningConnectionsShrinkingOpensNoConnection() throws Exception {
		try (Pool pool = Pool.start("resize_churn"); QueryLoad churn = pool.churn(2)) {
			for (int max = 9; max >= 3; max--) {
				pool.resizer.resize(max, "a shrink by one under load");
				int target = max;
				await().atMost(PATIENCE).until(pool.sampledUntil(() -> pool.sessions() == target));
			}
			assertThat(pool.logins()).as("logins while shrinking from 10 to 3").isEqualTo(10);
			long served = churn.served();
			await().atMost(PATIENCE).until(() -> churn.served() > served);
			assertThat(churn.failed()).isZero();
		}
	}

	@Test
	void whenEveryConnectionIsInDemandAShrinkClosesTheSurplusAsItIsReturnedAndOpensNothing() throws Exception {
		try (Pool pool = Pool.start("resize_saturated"); QueryLoad churn = pool.churn(14)) {
			await().atMost(PATIENCE).until(() -> pool.waiting() > 0);
			for (int max = 9; max >= 3; max--) {
				pool.resizer.resize(max, "a shrink by one with threads waiting for connections");
				int target = max;
				await().atMost(PATIENCE).until(pool.sampledUntil(() -> pool.sessions() == target));
			}
			assertThat(pool.logins()).as("logins while shrinking from 10 to 3").isEqualTo(10);
			long served = churn.served();
			await().atMost(PATIENCE).until(() -> churn.served() > served);
			assertThat(churn.failed()).isZero();
		}
	}

	/**
	 * A HikariCP pool of 10, all open, in a database of its own so that the server's log tells its
	 * logins from the test's own.
	 */
	private static final class Pool implements AutoCloseable {

		private final String database;

		private final String applicationName;

		private final HikariDataSource dataSource;

		private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

		private final PoolResizer resizer;

		private final List<AutoCloseable> users = new ArrayList<>();

		private Pool(String database, boolean exact) {
			this.database = database;
			this.applicationName = "poolguard-resize-" + database;
			server.execute("CREATE DATABASE " + database);
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(server.jdbcUrl(database));
			config.setUsername(server.username());
			config.setPassword(server.password());
			config.setPoolName(database);
			config.setMaximumPoolSize(10);
			config.addDataSourceProperty("ApplicationName", this.applicationName);
			config.setMetricRegistry(this.meters);
			this.dataSource = new HikariDataSource(config);
			this.resizer = new PoolResizer(this.dataSource, "app", exact);
		}

		static Pool start(String database) {
			return start(database, true);
		}

		static Pool start(String database, boolean exact) {
			Pool pool = new Pool(database, exact);
			await().atMost(PATIENCE).until(() -> pool.sessions() == 10);
			return pool;
		}

		List<Holder> hold(int count) {
			List<Holder> holders = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				Holder holder = new Holder(this.dataSource);
				this.users.add(holder);
				holders.add(holder);
			}
			return holders;
		}

		QueryLoad churn(int threads) {
			QueryLoad churn = new QueryLoad(this.dataSource, "SELECT 1").start(threads);
			this.users.add(churn);
			return churn;
		}

		// Demand for every connection of a maximum at once: the pool opens what it lacks.
		void borrowAll(int count) throws SQLException {
			List<Connection> borrowed = new ArrayList<>();
			try {
				for (int i = 0; i < count; i++) {
					borrowed.add(this.dataSource.getConnection());
				}
			}
			finally {
				for (Connection connection : borrowed) {
					connection.close();
				}
			}
		}

		// Plays the monitor's samples while waiting for a condition.
		Callable<Boolean> sampledUntil(Callable<Boolean> condition) {
			return () -> {
				this.resizer.trim();
				return condition.call();
			};
		}

		int waiting() {
			return this.dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection();
		}

		int sessions() {
			return server.countConnections(this.applicationName);
		}

		Set<String> backends() throws SQLException {
			Set<String> backends = new HashSet<>();
			try (Connection connection = server.connect("poolguard-test-admin");
					PreparedStatement statement = connection.prepareStatement(
							"SELECT pid, backend_start FROM pg_stat_activity WHERE application_name = ?")) {
				statement.setString(1, this.applicationName);
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						backends.add(rs.getInt(1) + "@" + rs.getString(2));
					}
				}
			}
			return backends;
		}

		// Every login the server has logged for this database so far, none that already shows
		// in pg_stat_activity missed.
		long logins() {
			Pattern login = Pattern.compile("connection authorized: .*database=" + this.database + "(\\s|$)");
			return logged.lines((line) -> login.matcher(line).find()).size();
		}

		double timeouts() {
			return this.meters.get("hikaricp.connections.timeout").counter().count();
		}

		@Override
		public void close() throws Exception {
			for (AutoCloseable user : this.users) {
				user.close();
			}
			this.dataSource.close();
		}

	}

	private static Thread daemon(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	/**
	 * A thread that borrows one connection and runs short queries on it until it gives it back.
	 */
	private static final class Holder implements AutoCloseable {

		private final AtomicBoolean holding = new AtomicBoolean(true);

		private final AtomicLong queries = new AtomicLong();

		private final AtomicInteger failures = new AtomicInteger();

		private final Thread thread;

		private final AtomicBoolean borrowed = new AtomicBoolean();

		Holder(HikariDataSource dataSource) {
			this.thread = daemon("holder", () -> {
				try (Connection connection = dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					this.borrowed.set(true);
					while (this.holding.get()) {
						statement.execute("SELECT 1");
						this.queries.incrementAndGet();
					}
				}
				catch (SQLException ex) {
					this.failures.incrementAndGet();
				}
			});
			await().atMost(PATIENCE).untilTrue(this.borrowed);
		}

		void giveBack() {
			this.holding.set(false);
			try {
				this.thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		long queries() {
			return this.queries.get();
		}

		int failures() {
			return this.failures.get();
		}

		@Override
		public void close() {
			giveBack();
		}

	}

}
