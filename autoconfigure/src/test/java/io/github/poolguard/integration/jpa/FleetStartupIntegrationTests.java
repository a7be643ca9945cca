package io.github.poolguard.integration.jpa;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.test.LoggedServer;
import io.github.poolguard.test.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JPA application that prepares its schema at startup (Hibernate reads the server's metadata;
 * {@code spring.sql.init} runs a script, or Flyway migrates), scaled out past the room the server
 * has, the last two instances started at once: the instances beyond the room start anyway, on the
 * smallest pools and one at a time, then wait out of service without a connection, and serve once
 * two others stop. The server refuses no login.
 */
@ExtendWith(OutputCaptureExtension.class)
class FleetStartupIntegrationTests {

	private static final String PASSWORD = "St4rt-w1th0ut-sh4re";

	private static final String APP = "notes";

	private static LoggedServer logged;

	private static PostgresServer server;

	@BeforeAll
	static void startServer() throws IOException {
		logged = LoggedServer.start(Map.of("max_connections", "30", "superuser_reserved_connections", "3"));
		server = logged.server();
		server.execute("CREATE ROLE fleet_notes LOGIN PASSWORD '" + PASSWORD + "'");
	}

	@AfterAll
	static void stopServer() throws IOException {
		if (logged != null) {
			logged.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "sql-init", "flyway" })
	void instancesBeyondTheRoomStartWaitNotReadyAndServeOnceOthersLeave(String schema, CapturedOutput output)
			throws Exception {
		String url = server.createDatabase("notes_" + schema.replace('-', '_'));
		server.execute("ALTER DATABASE " + url.substring(url.lastIndexOf('/') + 1) + " OWNER TO fleet_notes");
		// usable 24 (30 − 3 reserved − 3 kept free); each instance: monitor 1 + app 5 (its floor) +
		// background 1: five instances leave 19 for pools, room for three floors of 6 (four while a
		// starting instance has not said yet that it waits)
		List<ConfigurableApplicationContext> serving = new ArrayList<>();
		List<ConfigurableApplicationContext> waiting = new ArrayList<>();
		try {
			for (String id : List.of("s1", "s2", "s3")) {
				serving.add(start(url, id, schema));
			}
			ExecutorService starting = Executors.newFixedThreadPool(2);
			try {
				List<Future<ConfigurableApplicationContext>> started = starting
					.invokeAll(List.of(() -> start(url, "w1", schema), () -> start(url, "w2", schema)));
				for (Future<ConfigurableApplicationContext> instance : started) {
					waiting.add(instance.get());
				}
			}
			finally {
				starting.shutdown();
			}
			assertThat(serving).allSatisfy((instance) -> assertThat(ready(instance)).isTrue());
			assertThat(waiting).allSatisfy((instance) -> assertThat(ready(instance))
				.as("readiness of an instance beyond the room")
				.isFalse());
			// the health details say why from the monitor's first sample on
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(waiting).allSatisfy((instance) -> assertThat(
						instance.getBean(ConnectionsHealthIndicator.class).health().getDetails().get("warnings"))
					.asString()
					.contains("This instance gets no share of the server's connections and is out of service until"
							+ " there is room")
					.contains("floor 7 each (app 5 + background 1 + 1 fixed): room for ")));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(server.applicationNames()).as("sessions on the server")
					.noneMatch((name) -> name.matches(APP + ":(app|background):w[12]")));
			if (schema.equals("flyway")) {
				assertThat(serving.get(0)
					.getBean(JdbcTemplate.class)
					.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Integer.class))
					.as("migrations applied, by five instances")
					.isEqualTo(1);
			}
			assertThat(serving.get(0).getBean(NoteService.class).saveAndTellConnection("served"))
				.isEqualTo(APP + ":app:s1");

			serving.remove(0).close();
			serving.remove(0).close();
			await().atMost(Duration.ofSeconds(60)).until(() -> waiting.stream().allMatch(FleetStartupIntegrationTests::ready));
			assertThat(waiting.get(1).getBean(NoteService.class).saveAndTellConnection("joined"))
				.isEqualTo(APP + ":app:w2");
		}
		finally {
			serving.forEach(ConfigurableApplicationContext::close);
			waiting.forEach(ConfigurableApplicationContext::close);
		}
		assertThat(logged.refusals()).as("logins the server refused").isEmpty();
		assertThat(output).contains("its startup work runs on the smallest pools")
			.contains("this instance is back in service")
			.doesNotContain("Application run failed")
			.doesNotContain(PASSWORD);
	}

	private static ConfigurableApplicationContext start(String url, String id, String schema) {
		// arguments: the build turns Flyway off for the other tests with a system property
		String[] preparation = schema.equals("flyway")
				? new String[] { "--spring.flyway.enabled=true", "--spring.flyway.locations=classpath:fleet-startup/flyway" }
				: new String[] { "--spring.sql.init.mode=always",
						"--spring.sql.init.schema-locations=classpath:fleet-startup/schema.sql" };
		return new SpringApplicationBuilder(NotesApp.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=" + APP, "spring.datasource.url=" + url,
					"spring.datasource.username=fleet_notes", "spring.datasource.password=" + PASSWORD,
					"spring.datasource.hikari.maximum-pool-size=5", "poolguard.fleet.min-app-pool=5",
					"poolguard.background.hikari.maximum-pool-size=1", "poolguard.instance-id=" + id,
					"poolguard.monitor.interval=200ms", "poolguard.fleet.join-timeout=2s",
					"spring.jpa.hibernate.ddl-auto=validate")
			.run(preparation);
	}

	private static boolean ready(ConfigurableApplicationContext instance) {
		return instance.getBean(ApplicationAvailability.class).getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration",
			"org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration" })
	@Import({ NoteService.class, NightlyNotes.class })
	static class NotesApp {

	}

}
