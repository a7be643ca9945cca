package io.github.poolguard.integration;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.test.LoggedServer;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.QueryLoad;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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

	private static LoggedServer logged;

	private static PostgresServer server;

	@BeforeAll
	static void startServer() throws IOException {
		logged = LoggedServer.start(Map.of("max_connections", "20", "superuser_reserved_connections", "3"));
		server = logged.server();
		server.execute("CREATE ROLE refusals LOGIN PASSWORD '" + PASSWORD + "'");
	}

	@AfterAll
	static void stopServer() throws IOException {
		if (logged != null) {
			logged.close();
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
			.run();
				QueryLoad load = new QueryLoad(context.getBean(DataSource.class), "SELECT pg_sleep(0.01)")) {
			HikariDataSource appPool = context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME,
					HikariDataSource.class);
			load.start(1);
			await().atMost(Duration.ofSeconds(30)).until(() -> load.served() > 10);
			try {
				int sessions = clientSessions();
				for (int i = sessions; i < ROLE_SLOTS; i++) {
					fillers.add(server.connect("filler"));
				}
				int refusedBefore = logged.refusals().size();
				load.start(7);
				await().atMost(Duration.ofSeconds(30)).until(() -> logged.refusals().size() > refusedBefore);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> appPool.getMaximumPoolSize() == appPool.getHikariPoolMXBean().getTotalConnections());
				int held = appPool.getMaximumPoolSize();
				assertThat(held).as("the app pool's maximum after the refusal").isLessThan(8);
				// while the server stays full, the eight threads share what the pool holds
				long served = load.served();
				await().atMost(Duration.ofSeconds(60)).until(() -> load.served() > served + 150);
				assertThat(logged.refusals().size() - refusedBefore).as("logins the server refused while it was full")
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
				int refusedWhileFull = logged.refusals().size();
				closeAll(fillers);
				await().atMost(Duration.ofSeconds(60)).until(() -> appPool.getMaximumPoolSize() == 8
						&& appPool.getHikariPoolMXBean().getTotalConnections() > held);
				assertThat(logged.refusals()).as("logins refused after the slots were freed").hasSize(refusedWhileFull);
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
