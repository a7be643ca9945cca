package io.github.poolguard.integration;

import java.net.http.HttpResponse;

import io.github.poolguard.internal.console.ConsolePage;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.function.RouterFunction;

import static io.github.poolguard.test.HttpGet.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console page over HTTP in a running application: absent unless enabled, and, when
 * enabled, a page that carries the endpoint's path (with the context path, the actuator's base
 * path and its mapping) and no reading.
 */
class ConsoleHttpIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void leftOffThePathIsNotFoundAndNothingIsRegistered() throws Exception {
		try (ConfigurableApplicationContext context = start("console_off")) {
			assertThat(get(url(context, "/poolguard-console")).statusCode()).isEqualTo(404);
			assertThat(context.getBeansOfType(RouterFunction.class)).isEmpty();
			assertThat(get(url(context, "/actuator/poolguard")).statusCode()).as("the endpoint is there").isEqualTo(200);
		}
	}

	@Test
	void enabledItServesOnePageThatPointsAtTheEndpoint() throws Exception {
		try (ConfigurableApplicationContext context = start("console_on", "poolguard.console.enabled=true")) {
			HttpResponse<String> page = get(url(context, "/poolguard-console"));
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
			assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
					(policy) -> assertThat(policy).contains("default-src 'none'", "connect-src 'self'"));
			assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
			assertThat(page.body())
				.contains("data-endpoint=\"/actuator/poolguard\"", "data-write=\"false\"",
						"data-application=\"console-http\"")
				.as("the page carries settings only, no reading")
				.isEqualTo(new ConsolePage().render("/actuator/poolguard", false, 0.80, 0.95, "console-http"));
		}
	}

	@Test
	void followsTheContextPathTheBasePathAndTheEndpointMapping() throws Exception {
		try (ConfigurableApplicationContext context = start("console_paths", "poolguard.console.enabled=true",
				"poolguard.console.path=/ops/connections", "server.servlet.context-path=/shop",
				"management.endpoints.web.base-path=/manage",
				"management.endpoints.web.path-mapping.poolguard=pg",
				"management.endpoint.poolguard.access=unrestricted")) {
			assertThat(get(url(context, "/shop/poolguard-console")).statusCode()).isEqualTo(404);
			HttpResponse<String> page = get(url(context, "/shop/ops/connections"));
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("data-endpoint=\"/shop/manage/pg\"", "data-write=\"true\"");
			assertThat(get(url(context, "/shop/manage/pg")).statusCode()).isEqualTo(200);
		}
	}

	private static String url(ConfigurableApplicationContext context, String path) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort() + path;
	}

	private static ConfigurableApplicationContext start(String database, String... properties) {
		String url = server.createDatabase(database);
		return new SpringApplicationBuilder(WebApp.class)
			.properties("server.port=0", "spring.application.name=console-http", "spring.datasource.url=" + url,
					"spring.datasource.username=" + server.username(),
					"spring.datasource.password=" + server.password(),
					"management.endpoints.web.exposure.include=poolguard",
					"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
							+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.properties(properties)
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebApp {

	}

}
