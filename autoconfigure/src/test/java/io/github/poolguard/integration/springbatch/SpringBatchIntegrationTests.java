package io.github.poolguard.integration.springbatch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.test.ConnectionPeak;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.github.poolguard.test.HttpGet.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Batch 6 jobs on a real job repository, launched the ways applications launch them (a
 * web request, {@code @Scheduled}, Boot's {@code JobLauncherApplicationRunner}), write every row
 * on the background pool, never with more sessions than it has, while the API keeps its own
 * pool; an operator stops a job through {@code /actuator/poolguard} and Spring Batch restarts it.
 */
class SpringBatchIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final String NO_JPA = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
			+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	// the launch request lasts as long as the job (Boot's JobOperator runs it on the caller's thread)
	private final ExecutorService launcher = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopLauncher() {
		this.launcher.shutdownNow();
	}

	@Test
	void jobLaunchedFromAWebRequestWritesEveryRowOnTheBackgroundPoolWithinItsSizeWhileTheApiIsServed()
			throws Exception {
		// Spring Batch runs 4 of the 8 threads' chunks at once; each holds its connection 0.6 s,
		// longer than the background pool lets a borrower wait: without the permits a fourth
		// chunk would time out in the pool and fail the step
		try (ConfigurableApplicationContext context = start(WebApp.class, "sbatch-http", "test.chunk-pause=0.6",
				"poolguard.background.hikari.connection-timeout=500");
				ConnectionPeak background = server.samplePeak("sbatch-http:background")) {
			String base = baseUrl(context);
			CompletableFuture<HttpResponse<String>> launch = CompletableFuture
				.supplyAsync(() -> post(base + "/jobs/import", ""), this.launcher);
			await().atMost(Duration.ofSeconds(30)).until(() -> importedRows(context) > 0);
			List<HttpResponse<String>> api = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				api.add(get(base + "/api/rows"));
			}
			HttpResponse<String> launched = launch.get(60, TimeUnit.SECONDS);

			assertThat(launched.statusCode()).isEqualTo(200);
			assertThat(JsonPath.<String>read(launched.body(), "$.status")).isEqualTo("COMPLETED");
			assertThat(writtenBy(context)).isEqualTo(Map.of("sbatch-http:background", (long) ImportJobs.ITEMS));
			assertThat(background.max()).as("background sessions at once").isBetween(1, 3);
			assertThat(api).allSatisfy((response) -> {
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(JsonPath.<String>read(response.body(), "$.served_by")).isEqualTo("sbatch-http:app");
			});
			assertThat(JsonPath.<Integer>read(api.get(0).body(), "$.rows")).as("served while the job ran")
				.isLessThan(ImportJobs.ITEMS);
		}
	}

	@Test
	void jobStoppedThroughTheEndpointEndsStoppedAndARestartCompletesIt() throws Exception {
		try (ConfigurableApplicationContext context = start(WebApp.class, "sbatch-stop", "test.chunk-pause=0",
				"test.open-chunks=2")) {
			String base = baseUrl(context);
			CompletableFuture<HttpResponse<String>> launch = CompletableFuture
				.supplyAsync(() -> post(base + "/jobs/import", ""), this.launcher);
			// two chunks written, the next ones held in their writer: the job is running
			await().atMost(Duration.ofSeconds(30)).until(() -> importedRows(context) == 20);

			String shown = get(base + "/actuator/poolguard").body();
			assertThat(JsonPath.<List<String>>read(shown, "$.batches[?(@.job == 'importJob')].step"))
				.containsExactly("importStep");
			assertThat(JsonPath.<List<String>>read(shown, "$.batches[?(@.job == 'importJob')].state"))
				.singleElement()
				.isIn("RUNNING", "YIELDING");
			assertThat(JsonPath.<List<Integer>>read(shown, "$.batches[?(@.job == 'importJob')].written"))
				.containsExactly(20);
			// a running Spring Batch step is a batch to the app-experience baseline, as the executor's runs are
			AppExperienceSampler sampler = context.getBean(AppExperienceSampler.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> sampler.getLatest().batchRunning());

			HttpResponse<String> stopped = post(base + "/actuator/poolguard/importJob", "{\"action\":\"pause\"}");
			assertThat(stopped.statusCode()).isEqualTo(200);
			assertThat(JsonPath.<String>read(stopped.body(), "$.state")).isEqualTo("STOPPING");
			context.getBean(ImportJobs.Valve.class).open();
			HttpResponse<String> launched = launch.get(60, TimeUnit.SECONDS);
			assertThat(JsonPath.<String>read(launched.body(), "$.status")).isEqualTo("STOPPED");
			// the chunks held in flight commit (at most 4 at once in Spring Batch), no new one starts
			assertThat(importedRows(context)).isBetween(20, 20 + 4 * 10);
			await().atMost(Duration.ofSeconds(30)).until(() -> !sampler.getLatest().batchRunning());

			JobRepository repository = context.getBean(JobRepository.class);
			JobExecution stoppedExecution = repository
				.getJobExecution(JsonPath.<Number>read(launched.body(), "$.id").longValue());
			JobExecution restarted = context.getBean(JobOperator.class).restart(stoppedExecution);

			assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(restarted.getJobInstance().getId()).isEqualTo(stoppedExecution.getJobInstance().getId());
			assertThat(writtenBy(context)).isEqualTo(Map.of("sbatch-stop:background", (long) ImportJobs.ITEMS));
		}
	}

	@Test
	void jobStartedByAScheduledMethodWritesEveryRowOnTheBackgroundPool() throws Exception {
		try (ConfigurableApplicationContext context = start(ScheduledApp.class, "sbatch-scheduled");
				ConnectionPeak background = server.samplePeak("sbatch-scheduled:background")) {
			await().atMost(Duration.ofSeconds(60)).until(() -> importedRows(context) == ImportJobs.ITEMS);
			JobRepository repository = context.getBean(JobRepository.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> repository.getLastJobExecution(repository.getLastJobInstance("importJob")).getStatus(),
						(status) -> status == BatchStatus.COMPLETED);
			assertThat(writtenBy(context)).isEqualTo(Map.of("sbatch-scheduled:background", (long) ImportJobs.ITEMS));
			assertThat(background.max()).as("background sessions at once").isBetween(1, 3);
		}
	}

	@Test
	void jobRunAtStartupByBootsRunnerProcessesAndWritesEveryRowOnTheBackgroundPool() throws Exception {
		String url = server.createDatabase("sbatch_runner");
		ImportJobs.createTables(url, server.username(), server.password());
		try (ConnectionPeak background = server.samplePeak("sbatch-runner:background");
				ConfigurableApplicationContext context = new SpringApplicationBuilder(RunnerApp.class)
					.properties(properties("sbatch-runner", url, "spring.batch.job.enabled=true"))
					.run()) {
			// Boot's runner launches the job synchronously before run() returns
			assertThat(writtenBy(context)).isEqualTo(Map.of("sbatch-runner:background", (long) ImportJobs.ITEMS));
			assertThat(context.getBean(JdbcTemplate.class)
				.queryForList("SELECT DISTINCT processed_by FROM imported", String.class))
				.containsExactly("sbatch-runner:background");
			assertThat(background.max()).as("background sessions at once").isBetween(1, 3);
		}
	}

	private static ConfigurableApplicationContext start(Class<?> app, String name, String... extra) throws Exception {
		String url = server.createDatabase(name);
		ImportJobs.createTables(url, server.username(), server.password());
		List<String> properties = new ArrayList<>(List.of(properties(name, url, "spring.batch.job.enabled=false")));
		properties.addAll(List.of(extra));
		return new SpringApplicationBuilder(app).properties(properties.toArray(String[]::new)).run();
	}

	private static String[] properties(String name, String url, String runner) {
		return new String[] { "server.port=0", "spring.application.name=" + name, "spring.datasource.url=" + url,
				"spring.datasource.username=" + server.username(), "spring.datasource.password=" + server.password(),
				"spring.datasource.hikari.maximum-pool-size=4", "poolguard.background.hikari.maximum-pool-size=3",
				"spring.batch.jdbc.initialize-schema=always", runner,
				"management.endpoints.web.exposure.include=poolguard",
				"management.endpoint.poolguard.access=unrestricted", NO_JPA };
	}

	private static String baseUrl(ConfigurableApplicationContext context) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static int importedRows(ConfigurableApplicationContext context) {
		Integer rows = context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM imported", Integer.class);
		return (rows != null) ? rows : 0;
	}

	private static Map<String, Long> writtenBy(ConfigurableApplicationContext context) {
		Map<String, Long> counts = new TreeMap<>();
		context.getBean(JdbcTemplate.class)
			.query("SELECT written_by, count(*) FROM imported GROUP BY written_by",
					(RowCallbackHandler) (row) -> counts.put(row.getString(1), row.getLong(2)));
		return counts;
	}

	private HttpResponse<String> post(String url, String json) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(60))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ImportJobs.MultiThreadedImport.class)
	static class WebApp {

		@Bean
		ImportController importController(JobOperator jobOperator, Job importJob, JdbcTemplate jdbc) {
			return new ImportController(jobOperator, importJob, jdbc);
		}

	}

	@RestController
	static class ImportController {

		private final JobOperator jobOperator;

		private final Job importJob;

		private final JdbcTemplate jdbc;

		ImportController(JobOperator jobOperator, Job importJob, JdbcTemplate jdbc) {
			this.jobOperator = jobOperator;
			this.importJob = importJob;
			this.jdbc = jdbc;
		}

		@PostMapping("/jobs/import")
		Map<String, Object> launch() throws Exception {
			JobExecution execution = ImportJobs.launch(this.jobOperator, this.importJob);
			return Map.of("id", execution.getId(), "status", execution.getStatus().name());
		}

		@GetMapping("/api/rows")
		Map<String, Object> rows() {
			return this.jdbc.queryForMap(
					"SELECT count(*)::int AS rows, current_setting('application_name') AS served_by FROM imported");
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableScheduling
	@Import(ImportJobs.MultiThreadedImport.class)
	static class ScheduledApp {

		@Bean
		NightlyImport nightlyImport(JobOperator jobOperator, Job importJob) {
			return new NightlyImport(jobOperator, importJob);
		}

	}

	static class NightlyImport {

		private final JobOperator jobOperator;

		private final Job importJob;

		NightlyImport(JobOperator jobOperator, Job importJob) {
			this.jobOperator = jobOperator;
			this.importJob = importJob;
		}

		@Scheduled(initialDelay = 0, fixedDelay = 1, timeUnit = TimeUnit.HOURS)
		void importAll() throws Exception {
			ImportJobs.launch(this.jobOperator, this.importJob);
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ImportJobs.ConcurrentProcessingImport.class)
	static class RunnerApp {

	}

}
