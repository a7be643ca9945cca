package io.github.poolguard.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.TestAbortedException;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Another client takes every connection slot the application's role may use while the app pool
 * still wants to grow: the server refuses the pool's next login ({@code 53300}), the pool keeps
 * what it holds instead of retrying, and grows back once the slots are free. The server's own
 * log counts the refused logins.
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusedLoginsIntegrationTests {

	private static final String PASSWORD = "N0-sl0t-l3ft";

	// max_connections 20 − 3 reserved for superusers: the application's role gets 17 slots
	private static final int ROLE_SLOTS = 17;

	private static PostgresServer server;

	private static Path log;

	@BeforeAll
	static void startServer() throws IOException {
		if (!System.getProperty(TestPostgres.MODE_PROPERTY, "embedded").equals("embedded")) {
			throw new TestAbortedException("These tests read the server's log file, which only an embedded server keeps"
					+ " on this machine");
		}
		Path logDirectory = Files.createTempDirectory("poolguard-refusals-log");
		log = logDirectory.resolve("postgresql.log");
		server = TestPostgres.start(Map.of("max_connections", "20", "superuser_reserved_connections", "3",
				"logging_collector", "on", "log_directory", logDirectory.toString(), "log_filename", "postgresql.log"));
		server.execute("CREATE ROLE refusals LOGIN PASSWORD '" + PASSWORD + "'");
	}

	@AfterAll
	static void stopServer() throws IOException {
		if (server != null) {
			server.close();
		}
		if (log != null) {
			Files.deleteIfExists(log);
			Files.deleteIfExists(log.getParent());
		}
	}

	@Test
	void whenAnotherClientTakesEverySlotThePoolKeepsWhatItHoldsAndGrowsBackWithoutALoginStorm(CapturedOutput output)
			throws Exception {
		String url = server.createDatabase("refusals");
		List<Connection> fillers = new ArrayList<>();
		// the floor is the whole app pool, so the fleet never shrinks it: only the refusal does
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=crowded", "spring.datasource.url=" + url,
					"spring.datasource.username=refusals", "spring.datasource.password=" + PASSWORD,
					"spring.datasource.hikari.maximum-pool-size=8", "spring.datasource.hikari.minimum-idle=1",
					"poolguard.background.hikari.maximum-pool-size=2", "poolguard.fleet.min-app-pool=8",
					"poolguard.monitor.interval=500ms")
			.run(); Load load = new Load(context.getBean(DataSource.class))) {
			HikariDataSource appPool = context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME,
					HikariDataSource.class);
			load.start(1);
			await().atMost(Duration.ofSeconds(30)).until(() -> load.served() > 10);
			try {
				int sessions = clientSessions();
				for (int i = sessions; i < ROLE_SLOTS; i++) {
					fillers.add(server.connect("filler"));
				}
				int refusedBefore = refusals().size();
				load.start(7);
				await().atMost(Duration.ofSeconds(30)).until(() -> refusals().size() > refusedBefore);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> appPool.getMaximumPoolSize() == appPool.getHikariPoolMXBean().getTotalConnections());
				int held = appPool.getMaximumPoolSize();
				assertThat(held).as("the app pool's maximum after the refusal").isLessThan(8);
				// while the server stays full, the eight threads share what the pool holds
				long served = load.served();
				await().atMost(Duration.ofSeconds(60)).until(() -> load.served() > served + 150);
				assertThat(refusals().size() - refusedBefore).as("logins the server refused while it was full")
					.isEqualTo(1);
				assertThat(appPool.getMaximumPoolSize()).isEqualTo(held);
				Map<String, Object> details = context.getBean(ConnectionsAssessment.class).assess().toDetails();
				assertThat(details).extractingByKey("pools")
					.asString()
					.contains("refusedLogins=1");
				assertThat(context.getBean(MeterRegistry.class)
					.get("poolguard.connections.refused")
					.tag("pool", "app")
					.functionCounter()
					.count()).isEqualTo(1);
				int refusedWhileFull = refusals().size();
				closeAll(fillers);
				await().atMost(Duration.ofSeconds(60)).until(() -> appPool.getMaximumPoolSize() == 8
						&& appPool.getHikariPoolMXBean().getTotalConnections() > held);
				assertThat(refusals()).as("logins refused after the slots were freed").hasSize(refusedWhileFull);
			}
			finally {
				closeAll(fillers);
			}
			assertThat(load.failed()).as("queries that failed").isZero();
		}
		assertThat(output).contains("the server refused a login of the app pool")
			.contains("the server accepts logins again")
			.doesNotContain(PASSWORD);
	}

	private static int clientSessions() throws SQLException {
		try (Connection connection = server.connect("poolguard-test-count");
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
			rs.next();
			// this connection closes before the fillers open
			return rs.getInt(1) - 1;
		}
	}

	private static void closeAll(List<Connection> connections) {
		for (Connection connection : connections) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// closed already
			}
		}
		connections.clear();
	}

	private static List<String> refusals() throws IOException {
		try (Stream<String> lines = Files.lines(log)) {
			return lines.filter((line) -> line.contains("too many clients") || line.contains("remaining connection slots"))
				.toList();
		}
	}

	/**
	 * Threads that run short queries on the application's DataSource until closed.
	 */
	static final class Load implements AutoCloseable {

		private final DataSource dataSource;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong served = new AtomicLong();

		private final AtomicInteger failed = new AtomicInteger();

		private final List<Thread> threads = new ArrayList<>();

		Load(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		void start(int count) {
			for (int i = 0; i < count; i++) {
				Thread thread = new Thread(this::run, "load-" + this.threads.size());
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		private void run() {
			while (this.running.get()) {
				try (Connection connection = this.dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					statement.execute("SELECT pg_sleep(0.01)");
					this.served.incrementAndGet();
				}
				catch (SQLException ex) {
					if (this.running.get()) {
						this.failed.incrementAndGet();
					}
				}
			}
		}

		long served() {
			return this.served.get();
		}

		int failed() {
			return this.failed.get();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join();
			}
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
			"org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration",
			"org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration" })
	static class App {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
