package io.github.poolguard.integration.scheduling;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.github.poolguard.test.HttpGet.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with {@code spring.threads.virtual.enabled=true}, as many Boot 4 applications
 * run: requests, {@code @Scheduled} jobs and Boot's task executor run on virtual threads and
 * still borrow from the pools they did on platform threads (the session's
 * {@code application_name} says which), batch items run on the background pool, and Boot's
 * unbounded virtual-thread scheduler next to the background pool is named at startup with the
 * property that bounds it. Virtual threads need JDK 21.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
@ExtendWith(OutputCaptureExtension.class)
class VirtualThreadsIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final String NAME_QUERY = "SELECT current_setting('application_name')";

	private static final String WARNING = "PoolGuard: task scheduler 'taskScheduler' (SimpleAsyncTaskScheduler,"
			+ " Spring Boot's scheduler with spring.threads.virtual.enabled=true) starts every scheduled run on a new"
			+ " thread with no concurrency limit and does not wait for a fixed-rate run that overran: overlapping runs"
			+ " pile up on pool 'vt:background' (max 3 connections) and other work on it waits behind them. Bound it"
			+ " with spring.task.scheduling.simple.concurrency-limit";

	private static ConfigurableApplicationContext start(String... properties) {
		String url = server.createDatabase("virtual_threads");
		return new SpringApplicationBuilder(VirtualThreadApp.class)
			.properties("server.port=0", "spring.application.name=vt", "spring.threads.virtual.enabled=true",
					"spring.datasource.url=" + url, "spring.datasource.username=" + server.username(),
					"spring.datasource.password=" + server.password(),
					"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
							+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.properties(properties)
			.run();
	}

	@Test
	void workIsRoutedAsOnPlatformThreadsAndTheUnboundedSchedulerIsNamedAtStartup(CapturedOutput output)
			throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBean(TaskScheduler.class)).isInstanceOf(SimpleAsyncTaskScheduler.class);
			assertThat(output).containsOnlyOnce(WARNING);

			String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(get(base + "/pool").body()).isEqualTo("vt:app virtual");

			assertThat(context.getBean(ReportJob.class).seen.get(30, TimeUnit.SECONDS))
				.isEqualTo("vt:background virtual");

			JdbcClient jdbc = context.getBean(JdbcClient.class);
			Executor taskExecutor = context.getBean("applicationTaskExecutor", Executor.class);
			assertThat(CompletableFuture.supplyAsync(() -> name(jdbc), taskExecutor).get(30, TimeUnit.SECONDS))
				.isEqualTo("vt:app virtual");
			assertThat(Workload.BACKGROUND
				.call(() -> CompletableFuture.supplyAsync(() -> name(jdbc), taskExecutor).get(30, TimeUnit.SECONDS)))
				.isEqualTo("vt:background virtual");

			List<String> items = new java.util.concurrent.CopyOnWriteArrayList<>();
			BatchReport<Integer> report = context.getBean(ThrottlingExecutor.class)
				.run("vt-items", List.of(1, 2, 3), (item) -> items.add(jdbc.sql(NAME_QUERY).query(String.class).single()))
				.await(Duration.ofSeconds(30));
			assertThat(report.progress().state()).isEqualTo(BatchState.COMPLETED);
			assertThat(items).containsExactly("vt:background", "vt:background", "vt:background");
		}
	}

	@Test
	void aBoundedSchedulerIsNotNamed(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start("spring.task.scheduling.simple.concurrency-limit=1")) {
			assertThat(context.getBean(SimpleAsyncTaskScheduler.class).getConcurrencyLimit()).isOne();
			assertThat(output).doesNotContain("PoolGuard: task scheduler");
		}
	}

	static String name(JdbcClient jdbc) {
		return jdbc.sql(NAME_QUERY).query(String.class).single() + (isVirtual() ? " virtual" : " platform");
	}

	private static boolean isVirtual() {
		try {
			// Thread.isVirtual() is JDK 21 API; the tests compile for release 17
			return (boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableScheduling
	static class VirtualThreadApp {

		@Bean
		ReportJob reportJob(JdbcClient jdbc) {
			return new ReportJob(jdbc);
		}

		@Bean
		PoolController poolController(JdbcClient jdbc) {
			return new PoolController(jdbc);
		}

	}

	static class ReportJob {

		final CompletableFuture<String> seen = new CompletableFuture<>();

		private final JdbcClient jdbc;

		ReportJob(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@Scheduled(fixedRate = 60_000)
		void report() {
			this.seen.complete(name(this.jdbc));
		}

	}

	@RestController
	static class PoolController {

		private final JdbcClient jdbc;

		PoolController(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@GetMapping("/pool")
		String pool() {
			return name(this.jdbc);
		}

	}

}
