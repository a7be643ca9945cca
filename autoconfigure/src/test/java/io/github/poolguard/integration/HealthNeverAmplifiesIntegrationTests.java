package io.github.poolguard.integration;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.monitor.ServerSample;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.poolguard.test.HttpGet.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A web application with Spring Boot's health defaults (no {@code show-details}, no
 * {@code show-components}) on a small server ({@code max_connections} 20) that other sessions
 * push past the critical threshold: {@code /actuator/health/connections} answers and reports
 * it, and {@code /actuator/health} stays 200, so no load balancer takes the instance out because
 * the server is busy.
 */
class HealthNeverAmplifiesIntegrationTests {

	private static final String ROLE = "poolguard_crowded";

	private static PostgresServer server;


	@BeforeAll
	static void startSmallServer() {
		server = TestPostgres.start(Map.of("max_connections", "20"));
		server.execute("CREATE ROLE " + ROLE + " LOGIN");
	}

	@AfterAll
	static void stopSmallServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void crowdedServerIsReportedAtConnectionsWhileOverallHealthStays200() throws Exception {
		List<Connection> intruders = new ArrayList<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApp.class)
			.properties("server.port=0", "spring.application.name=crowded", "spring.datasource.url=" + server.jdbcUrl(),
					"spring.datasource.username=" + ROLE, "spring.datasource.hikari.maximum-pool-size=2",
					"poolguard.monitor.interval=100ms", "management.endpoints.web.exposure.include=health")
			.run()) {
			String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> get(base + "/actuator/health/connections").body().contains("\"UP\""));
			HttpResponse<String> quiet = get(base + "/actuator/health/connections");
			assertThat(quiet.statusCode()).isEqualTo(200);
			assertThat(quiet.body()).as("details stay governed by show-details").doesNotContain("components", "details");
			assertThat(get(base + "/actuator/health/poolGuardConnections").statusCode())
				.as("components stay hidden, as Spring Boot hides them by default")
				.isEqualTo(404);
			ConnectionsHealthIndicator indicator = context.getBean(ConnectionsHealthIndicator.class);
			ServerMonitor monitor = context.getBean(ServerMonitor.class);
			// health answers UP before the monitor's first sample: wait for the sample itself
			await().atMost(Duration.ofSeconds(10)).until(() -> monitor.getReading().sample() != null);
			ServerSample sample = monitor.getReading().sample();
			// superuser sessions may take the reserved slots: 18 client sessions of 17 usable
			for (int i = sample.inUse(); i < sample.usable() + 1; i++) {
				intruders.add(server.connect("intruder"));
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> "CRITICAL".equals(indicator.health().getDetails().get("level")));
			HttpResponse<String> connections = get(base + "/actuator/health/connections");
			assertThat(connections.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(connections.body(), "$.status")).isEqualTo("WARNING");
			HttpResponse<String> overall = get(base + "/actuator/health");
			assertThat(overall.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(overall.body(), "$.status")).isEqualTo("UP");
			assertThat(context.getBean("dbHealthContributor", HealthIndicator.class).health().getStatus())
				.as("the server answers: the database is up").isEqualTo(Status.UP);
		}
		finally {
			for (Connection intruder : intruders) {
				intruder.close();
			}
		}
	}


	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	static class WebApp {

	}

}
