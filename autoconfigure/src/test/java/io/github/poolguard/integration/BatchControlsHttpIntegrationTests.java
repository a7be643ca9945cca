package io.github.poolguard.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.github.poolguard.test.HttpGet.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator pauses, re-limits, resumes and cancels a running batch with
 * {@code POST /actuator/poolguard/{run}}, and the run does what they asked.
 */
@ExtendWith(OutputCaptureExtension.class)
class BatchControlsHttpIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void pauseConcurrencyResumeAndCancelChangeWhatTheRunDoes(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = start("http_controls",
				"management.endpoint.poolguard.access=unrestricted")) {
			String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort()
					+ "/actuator/poolguard";
			ThrottlingExecutor executor = context.getBean(ThrottlingExecutor.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			AtomicInteger started = new AtomicInteger();
			AtomicInteger inFlight = new AtomicInteger();
			AtomicInteger peakAfterResume = new AtomicInteger();
			AtomicInteger resumed = new AtomicInteger();
			BatchRun<Integer> run = executor.run("nightly-import", IntStream.range(0, 500).boxed().toList(), (item) -> {
				started.incrementAndGet();
				int now = inFlight.incrementAndGet();
				if (resumed.get() == 1) {
					peakAfterResume.accumulateAndGet(now, Math::max);
				}
				jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class);
				inFlight.decrementAndGet();
			});
			await().atMost(Duration.ofSeconds(20)).until(() -> run.progress().succeeded() >= 3);

			HttpResponse<String> paused = post(base + "/nightly-import", "{\"action\":\"pause\"}");
			assertThat(paused.statusCode()).isEqualTo(200);
			assertThat(JsonPath.<String>read(paused.body(), "$.state")).isEqualTo("PAUSED");
			await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == 0);
			int startedWhilePaused = started.get();
			await().during(Duration.ofMillis(400))
				.atMost(Duration.ofSeconds(5))
				.until(() -> started.get() == startedWhilePaused);
			assertThat(JsonPath.<String>read(get(base).body(), "$.batches[0].state")).isEqualTo("PAUSED");

			HttpResponse<String> relimited = post(base + "/nightly-import",
					"{\"action\":\"concurrency\",\"concurrency\":1}");
			assertThat(JsonPath.<Integer>read(relimited.body(), "$.concurrency")).isEqualTo(1);
			assertThat(JsonPath.<String>read(post(base + "/nightly-import", "{\"action\":\"concurrency\",\"concurrency\":9}")
				.body(), "$.error")).contains("between 1 and 3");

			resumed.set(1);
			assertThat(JsonPath.<String>read(post(base + "/nightly-import", "{\"action\":\"resume\"}").body(), "$.state"))
				.isIn("RUNNING", "YIELDING");
			await().atMost(Duration.ofSeconds(20)).until(() -> started.get() >= startedWhilePaused + 5);

			HttpResponse<String> cancelled = post(base + "/nightly-import", "{\"action\":\"cancel\"}");
			assertThat(cancelled.statusCode()).isEqualTo(200);
			BatchReport<Integer> report = run.await(Duration.ofSeconds(20));
			assertThat(report.progress().state()).isEqualTo(BatchState.CANCELLED);
			assertThat(report.progress().succeeded()).isEqualTo(started.get());
			assertThat(report.notRun()).hasSize(500 - started.get());
			assertThat(peakAfterResume).as("one item at a time after the re-limit").hasValue(1);

			assertThat(JsonPath.<String>read(post(base + "/no-such-run", "{\"action\":\"pause\"}").body(), "$.error"))
				.isEqualTo("no batch run named 'no-such-run' is in flight");
		}
		assertThat(output).containsOnlyOnce("nightly-import: paused by an anonymous caller through /actuator/poolguard")
			.containsOnlyOnce("nightly-import: concurrency changed from 3 to 1 by an anonymous caller")
			.containsOnlyOnce("nightly-import: resumed by an anonymous caller")
			.containsOnlyOnce("nightly-import: cancel requested by an anonymous caller");
	}

	@Test
	void withoutTheOptInEveryWriteIsRefusedAndTheRunGoesOn(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = start("http_read_only")) {
			String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort()
					+ "/actuator/poolguard";
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			AtomicInteger started = new AtomicInteger();
			BatchRun<Integer> run = context.getBean(ThrottlingExecutor.class)
				.run("guarded-import", IntStream.range(0, 200).boxed().toList(), (item) -> {
					started.incrementAndGet();
					jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class);
				});
			await().atMost(Duration.ofSeconds(20)).until(() -> run.progress().succeeded() >= 3);
			for (String action : new String[] { "{\"action\":\"pause\"}", "{\"action\":\"cancel\"}",
					"{\"action\":\"concurrency\",\"concurrency\":1}" }) {
				assertThat(post(base + "/guarded-import", action).statusCode()).as(action).isBetween(400, 499);
			}
			assertThat(get(base).statusCode()).as("reads stay open").isEqualTo(200);
			int startedAfterTheWrites = started.get();
			await().atMost(Duration.ofSeconds(20)).until(() -> started.get() > startedAfterTheWrites);
			assertThat(run.progress().state()).isIn(BatchState.RUNNING, BatchState.YIELDING);
			run.cancel("test");
			run.await(Duration.ofSeconds(20));
		}
		assertThat(output).doesNotContain("guarded-import: paused by", "guarded-import: concurrency changed",
				"guarded-import: cancel requested by an anonymous caller");
	}

	private static ConfigurableApplicationContext start(String database, String... properties) {
		String url = server.createDatabase(database);
		return new SpringApplicationBuilder(WebApp.class).properties("server.port=0",
				"spring.application.name=controls-test", "spring.datasource.url=" + url,
				"spring.datasource.username=" + server.username(), "spring.datasource.password=" + server.password(),
				"poolguard.batch.max-concurrency=3", "poolguard.batch.delay-between-chunks=0",
				"management.endpoints.web.exposure.include=poolguard",
				"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
						+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.properties(properties)
			.run();
	}

	private HttpResponse<String> post(String url, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}


	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebApp {

	}

}
