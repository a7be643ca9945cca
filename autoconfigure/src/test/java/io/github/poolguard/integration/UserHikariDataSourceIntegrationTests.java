package io.github.poolguard.integration;

import java.net.http.HttpResponse;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.github.poolguard.test.HttpGet.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application that builds its own {@code HikariDataSource} bean is governed: its
 * connections carry PoolGuard's names and limits, {@code Workload.BACKGROUND} runs on a pool
 * derived from it, and {@code /actuator/health/connections} answers.
 */
class UserHikariDataSourceIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();


	@Test
	void ownHikariPoolHasNamedConnectionsABackgroundPoolAndTheConnectionsHealth() throws Exception {
		String url = server.createDatabase("user_hikari");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(OwnPoolApp.class).properties(
				"server.port=0", "spring.application.name=own-pool", "orders.db.url=" + url,
				"orders.db.username=" + server.username(), "orders.db.password=" + server.password(),
				"poolguard.monitor.interval=100ms", "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always",
				"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
						+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.run()) {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			String sql = "SELECT application_name || ' ' || current_setting('statement_timeout') FROM pg_stat_activity"
					+ " WHERE pid = pg_backend_pid()";
			assertThat(jdbc.queryForObject(sql, String.class)).isEqualTo("own-pool:app 30s");
			assertThat(Workload.BACKGROUND.get(() -> jdbc.queryForObject(sql, String.class)))
				.isEqualTo("own-pool:background 5min");
			assertThat(server.countConnections("own-pool:background")).isPositive();
			String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				HttpResponse<String> response = get(base + "/actuator/health/connections");
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.body()).containsPattern("\"status\":\"(UP|WARNING)\"")
					.contains("\"app\":{\"active\":")
					.contains("\"max\":4,");
			});
			// the pools' details do not wait for the monitor's first connection: wait for it
			await().atMost(Duration.ofSeconds(10))
				.until(() -> server.countConnectionsStartingWith("own-pool:monitor") == 1);
		}
		// a backend leaves pg_stat_activity shortly after its client closes the connection
		await().atMost(Duration.ofSeconds(10)).until(() -> server.countConnectionsStartingWith("own-pool") == 0);
	}


	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OwnPoolApp {

		@Bean
		HikariDataSource ordersPool(Environment environment) {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(environment.getRequiredProperty("orders.db.url"));
			pool.setUsername(environment.getRequiredProperty("orders.db.username"));
			pool.setPassword(environment.getRequiredProperty("orders.db.password"));
			pool.setMaximumPoolSize(4);
			return pool;
		}

	}

}
