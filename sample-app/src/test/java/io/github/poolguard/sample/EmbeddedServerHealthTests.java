package io.github.poolguard.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a newcomer starts it, with no datasource configured: it starts its embedded
 * PostgreSQL, logs in as the least-privilege role, and reports healthy out of the box.
 */
class EmbeddedServerHealthTests {

	@TempDir
	Path work;

	@Test
	void embeddedServerRunsTheAppAsANonSuperuserAndHealthIsUp() throws Exception {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedDatabase());
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--spring.application.name=embedded-health",
				"--sample.embedded.data-dir=" + this.work.resolve("pgdata"),
				"--logging.file.name=" + this.work.resolve("sample.log"), "--spring.main.banner-mode=off",
				"--sample.admin.password=Kq7-embedded-admin")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			Map<String, Object> login = jdbc.queryForMap("SELECT current_user AS login, current_database() AS db,"
					+ " rolsuper FROM pg_roles WHERE rolname = current_user");
			assertThat(login).containsEntry("login", "ticker_app")
				.containsEntry("db", "tickers")
				.containsEntry("rolsuper", false);

			String port = context.getEnvironment().getProperty("local.server.port");
			HttpClient http = HttpClient.newHttpClient();
			HttpResponse<String> anonymous = http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(anonymous.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(anonymous.body(), "$.status")).isEqualTo("UP");
			HttpResponse<String> admin = http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
						.header("Authorization", "Basic " + Base64.getEncoder()
							.encodeToString("admin:Kq7-embedded-admin".getBytes(StandardCharsets.UTF_8)))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(admin.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(admin.body(), "$.components.poolGuardConnections.status"))
				.as(admin.body())
				.isEqualTo("UP");
			assertThat((List<String>) JsonPath.read(admin.body(),
					"$.components.poolGuardConnections.details.warnings"))
				.as("no superuser warning: the app logs in as the least-privilege role")
				.noneMatch((warning) -> warning.contains("superuser"));
			HttpResponse<String> connections = http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/connections"))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(connections.statusCode()).isEqualTo(200);
			assertThat((String) JsonPath.read(connections.body(), "$.status")).isEqualTo("UP");
		}
	}

}
