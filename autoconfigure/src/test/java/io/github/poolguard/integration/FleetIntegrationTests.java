package io.github.poolguard.integration;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances started with the same configuration ({@code poolguard.budget.instances} left
 * at 1) against one server: each sees the other through the monitor connections' instance ids,
 * with no configuration, and warns with the fleet arithmetic in its health details, a metric
 * and one log line per change.
 */
@ExtendWith(OutputCaptureExtension.class)
class FleetIntegrationTests {

	private static final String PASSWORD = "Fl7-fleet-s3cret";

	private static final String MORE_THAN_BUDGETED = "more than the 1 the budget was checked for";

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void twoInstancesWithTheSameConfigurationEachSeeTwoAndWarn(CapturedOutput output) {
		server.execute("DO $$BEGIN CREATE ROLE poolguard_fleet LOGIN PASSWORD '" + PASSWORD
				+ "'; EXCEPTION WHEN duplicate_object THEN NULL; END$$");
		String url = server.createDatabase("fleet");
		try (ConfigurableApplicationContext first = start(url); ConfigurableApplicationContext second = start(url)) {
			for (ConfigurableApplicationContext context : List.of(first, second)) {
				ConnectionsHealthIndicator indicator = context.getBean(ConnectionsHealthIndicator.class);
				await().atMost(Duration.ofSeconds(20))
					.until(() -> context.getBean(ServerMonitor.class).getReading().sample() != null
							&& context.getBean(ServerMonitor.class).getReading().sample().instances().size() == 2);
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(ConnectionsHealthIndicator.WARNING);
				@SuppressWarnings("unchecked")
				Map<String, Object> fleet = (Map<String, Object>) health.getDetails().get("fleet");
				assertThat(fleet).containsEntry("instances", 2).containsEntry("expected", 1);
				assertThat(fleet.get("arithmetic")).asString().contains("× 2");
				assertThat(health.getDetails().get("warnings")).asString()
					.contains("2 instances of this application are connected")
					.contains(MORE_THAN_BUDGETED)
					.contains("poolguard.budget.instances");
				assertThat(context.getBean(MeterRegistry.class).get("poolguard.fleet.instances").gauge().value())
					.isEqualTo(2);
			}
			List<String> ids = first.getBean(ServerMonitor.class).getReading().sample().instances();
			assertThat(second.getBean(ServerMonitor.class).getReading().sample().instances()).isEqualTo(ids);
			assertThat(server.countConnectionsStartingWith("fleet:monitor:")).isEqualTo(2);
			awaitSamples(first.getBean(ServerMonitor.class), 3);
			assertThat(occurrences(output.toString(), MORE_THAN_BUDGETED)).as("one log line per instance per change")
				.isEqualTo(2);
			second.close();
			ConnectionsHealthIndicator indicator = first.getBean(ConnectionsHealthIndicator.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> indicator.health().getStatus().equals(Status.UP));
			assertThat(output).contains("1 instance(s) of this application are connected to the server");
		}
		assertThat(output).doesNotContain(PASSWORD);
	}

	private static ConfigurableApplicationContext start(String url) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=fleet", "spring.datasource.url=" + url,
					"spring.datasource.username=poolguard_fleet", "spring.datasource.password=" + PASSWORD,
					"poolguard.monitor.interval=100ms")
			.run();
	}

	private static void awaitSamples(ServerMonitor monitor, int samples) {
		for (int i = 0; i < samples; i++) {
			var last = monitor.getReading().readAt();
			await().atMost(Duration.ofSeconds(5)).until(() -> monitor.getReading().readAt().isAfter(last));
		}
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	static class App {

	}

}
