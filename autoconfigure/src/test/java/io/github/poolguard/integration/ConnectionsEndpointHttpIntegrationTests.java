package io.github.poolguard.integration;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import com.jayway.jsonpath.JsonPath;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.poolguard.test.HttpGet.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A web application with every app pool connection borrowed and a thread waiting for one:
 * {@code /actuator/health/connections} still answers, with the pending count and a warning,
 * and the {@code db} indicator answering is PoolGuard's, not Spring Boot's blocking one.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionsEndpointHttpIntegrationTests {

	private static final String PASSWORD = "Hq9-endpoint-s3cret";

	/**
	 * Where the {@code connections} group shows its member's details.
	 */
	private static final String DETAILS = "$.components.poolGuardConnections.details";

	private static final PostgresServer server = TestPostgres.shared();


	@Test
	void healthAnswersWhileEveryAppConnectionIsBorrowed(CapturedOutput output) throws Exception {
		server.execute("DO $$BEGIN CREATE ROLE poolguard_web LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$");
		String url = server.createDatabase("http_health");
		List<String> bodies = new ArrayList<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApp.class).properties("server.port=0",
				"spring.application.name=http-test", "spring.datasource.url=" + url,
				"spring.datasource.username=poolguard_web", "spring.datasource.password=" + PASSWORD,
				"spring.datasource.hikari.maximum-pool-size=3", "spring.datasource.hikari.connection-timeout=20000",
				"poolguard.monitor.interval=100ms", "management.endpoints.web.exposure.include=health,poolguard",
				"management.endpoint.health.show-details=always",
				"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
						+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.run()) {
			String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> get(base + "/actuator/health/connections").body().contains("\"UP\""));
			DataSource dataSource = context.getBean(DataSource.class);
			List<Connection> held = new ArrayList<>();
			CompletableFuture<Void> waiter;
			try {
				for (int i = 0; i < 3; i++) {
					held.add(dataSource.getConnection());
				}
				waiter = CompletableFuture.runAsync(() -> {
					Thread.currentThread().setName("poolguard-waiter");
					try (Connection connection = dataSource.getConnection()) {
						connection.isValid(1);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				});
				await().atMost(Duration.ofSeconds(10))
					.until(() -> get(base + "/actuator/health/connections").body().contains("WARNING"));
				HttpResponse<String> connections = get(base + "/actuator/health/connections");
				bodies.add(connections.body());
				assertThat(connections.statusCode()).isEqualTo(200);
				assertThat((String) JsonPath.read(connections.body(), "$.status")).isEqualTo("WARNING");
				assertThat((Integer) JsonPath.read(connections.body(), DETAILS + ".pools.app.pending")).isEqualTo(1);
				assertThat((Integer) JsonPath.read(connections.body(), DETAILS + ".pools.app.active")).isEqualTo(3);
				assertThat((Integer) JsonPath.read(connections.body(), DETAILS + ".pools.app.max")).isEqualTo(3);
				List<String> ids = JsonPath.read(connections.body(), DETAILS + ".fleet.ids");
				assertThat(ids).hasSize(1);
				assertThat((Integer) JsonPath.read(connections.body(),
						DETAILS + ".server.byApplication['http-test:monitor:" + ids.get(0)
								+ "']"))
					.isEqualTo(1);
				assertThat((List<String>) JsonPath.read(connections.body(), DETAILS + ".warnings"))
					.anySatisfy((warning) -> assertThat(warning).contains("waiting for an app pool connection"));
				HttpResponse<String> db = get(base + "/actuator/health/db");
				bodies.add(db.body());
				assertThat(db.statusCode()).isEqualTo(200);
				assertThat((String) JsonPath.read(db.body(), "$.status")).isEqualTo("UP");
				assertThat((String) JsonPath.read(db.body(), "$.details.source")).contains("PoolGuard server monitor");
				HttpResponse<String> overall = get(base + "/actuator/health");
				bodies.add(overall.body());
				assertThat(overall.statusCode()).isEqualTo(200);
				assertThat((String) JsonPath.read(overall.body(), "$.status"))
					.as("the application's status order leaves WARNING out").isEqualTo("UP");
				assertThat((String) JsonPath.read(overall.body(), "$.components.poolGuardConnections.status"))
					.isEqualTo("WARNING");
				HttpResponse<String> poolguard = get(base + "/actuator/poolguard");
				bodies.add(poolguard.body());
				assertThat(poolguard.statusCode()).isEqualTo(200);
				assertThat((List<String>) JsonPath.read(poolguard.body(), "$.holders[*].thread")).hasSize(3)
					.containsOnly(Thread.currentThread().getName());
				assertThat((List<String>) JsonPath.read(poolguard.body(), "$.holders[*].pool"))
					.containsOnly("http-test:app");
				assertThat((List<Object>) JsonPath.read(poolguard.body(), "$.batches")).isEmpty();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("poolguard.server.usage").gauge().value()).isGreaterThan(0);
				assertThat(meters.get("poolguard.server.connections.max").gauge().value()).isEqualTo(200);
				assertThat(meters.get("poolguard.server.connections").tag("state", "active").gauge().value())
					.isGreaterThanOrEqualTo(1);
				assertThat(meters.get("poolguard.connections.held.max").gauge().value()).isGreaterThan(0);
				assertThat(meters.get("poolguard.connections.leaks").functionCounter().count()).isZero();
			}
			finally {
				for (Connection connection : held) {
					connection.close();
				}
			}
			waiter.get();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> get(base + "/actuator/health/connections").body().contains("\"UP\""));
		}
		assertThat(bodies).allSatisfy((body) -> assertThat(body).doesNotContain(PASSWORD)
			.doesNotContainIgnoringCase("password"));
		assertThat(output).doesNotContain(PASSWORD);
	}

	@Test
	void configpropsAndEnvWithValuesShownNeverShowTheBackgroundPoolsCopyOfThePassword() throws Exception {
		String url = server.createDatabase("http_configprops");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApp.class).properties("server.port=0",
				"spring.application.name=configprops-test", "spring.datasource.url=" + url,
				"spring.datasource.username=" + server.username(), "spring.datasource.password=" + PASSWORD,
				"poolguard.background.hikari.data-source-properties.sslpassword=" + PASSWORD,
				"management.endpoints.web.exposure.include=configprops,env",
				"management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always",
				"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
						+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.run()) {
			String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> configprops = get(base + "/actuator/configprops/poolguard.background.hikari");
			assertThat(configprops.statusCode()).isEqualTo(200);
			String background = "$.contexts.*.beans.poolGuardBackgroundPool.properties";
			assertThat((List<Object>) JsonPath.read(configprops.body(), background + ".password"))
				.containsExactly("******");
			assertThat((List<Object>) JsonPath.read(configprops.body(), background + ".username"))
				.as("values are shown: only the secret is masked").containsExactly(server.username());
			assertThat(configprops.body()).doesNotContain(PASSWORD);
			HttpResponse<String> env = get(base + "/actuator/env");
			assertThat(env.statusCode()).isEqualTo(200);
			assertThat((List<Object>) JsonPath.read(env.body(), "$.propertySources[*].properties"
					+ "['poolguard.background.hikari.data-source-properties.sslpassword'].value"))
				.isNotEmpty()
				.containsOnly("******");
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebApp {

	}

}
