package io.github.poolguard.integration;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ConnectionNaming;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection names as the server and PgBouncer keep them: {@code application_name} holds
 * printable ASCII only and at most 63 bytes, and the monitor must still recognise its own
 * application's connections and every name must keep its instance id.
 */
class ConnectionNamingIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void nonAsciiApplicationNameReachesTheServerAsOneRecognisedInstance() throws SQLException {
		String url = server.createDatabase("naming");
		try (ConfigurableApplicationContext context = start("éé…", url)) {
			// the server would turn 'é' and '…' into '?' or escapes: PoolGuard sends the ASCII form itself
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				assertThat(server.applicationNames()).contains("ee...:app");
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> server.countConnectionsStartingWith("ee...:monitor:") == 1);
			ConnectionsHealthIndicator indicator = context.getBean(ConnectionsHealthIndicator.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> indicator.health().getDetails().get("fleet") != null);
			Health health = indicator.health();
			@SuppressWarnings("unchecked")
			Map<String, Object> fleet = (Map<String, Object>) health.getDetails().get("fleet");
			assertThat(fleet).containsEntry("instances", 1);
			assertThat(health.getDetails().get("warnings")).asString().doesNotContain("instances of this application");
		}
	}

	// Checked on the server, which cuts application_name at 63 bytes as PgBouncer does: PgBouncer
	// 1.18's admin console refuses the "SET extra_float_digits" that pgjdbc 42.7 sends to any
	// server older than 12, so a console connection cannot be opened to read SHOW CLIENTS.
	@Test
	void everyRoleOfALongApplicationNameKeepsItsWholeInstanceIdOnTheServer() throws SQLException {
		String instance = "instance-0123456789a";
		String url = server.createDatabase("naming");
		try (ConfigurableApplicationContext context = start("a-rather-long-application-name-".repeat(3), url,
				"poolguard.instance-id=" + instance)) {
			ConnectionNaming naming = context.getBean(ConnectionNaming.class);
			for (String role : List.of(ConnectionNames.PGBOUNCER_CONSOLE, ConnectionNames.CLAIM,
					ConnectionNames.STARTUP, ConnectionNames.APP, ConnectionNames.BACKGROUND)) {
				try (Connection connection = server.connect(naming.of(role))) {
					assertThat(server.applicationNames()).as(role)
						.anySatisfy((name) -> assertThat(name).startsWith(naming.applicationPart() + ":")
							.endsWith(":" + role + ":" + instance));
				}
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> server.countConnectionsStartingWith(naming.applicationPart() + ":monitor:" + instance) == 1);
		}
	}

	private static ConfigurableApplicationContext start(String applicationName, String url, String... more) {
		List<String> properties = new ArrayList<>(List.of(server.datasourceProperties(url)));
		properties.add("spring.application.name=" + applicationName);
		properties.add("poolguard.monitor.interval=100ms");
		properties.addAll(List.of(more));
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	static class App {

	}

}
