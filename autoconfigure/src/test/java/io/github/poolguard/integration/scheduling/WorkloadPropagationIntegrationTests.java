package io.github.poolguard.integration.scheduling;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.TaskDecorator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Component;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workload travels with work handed to Boot's {@code applicationTaskExecutor}: {@code @Async}
 * methods and {@code CompletableFuture.supplyAsync(…, executor)} borrow from the pool of the code
 * that started them, with no configuration and alongside the application's own
 * {@link TaskDecorator}. The common {@code ForkJoinPool} does not carry it.
 */
@SpringBootTest(properties = "spring.application.name=hops")
@DirtiesContext
class WorkloadPropagationIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		server.registerFreshDatabase(registry, "hops");
	}

	@Autowired
	private AsyncReports reports;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	@Qualifier("applicationTaskExecutor")
	private Executor applicationTaskExecutor;

	@Test
	void asyncMethodStartedAsBackgroundWorkRunsOnTheBackgroundPool() throws Exception {
		assertThat(Workload.BACKGROUND.call(() -> this.reports.applicationName()).get(30, TimeUnit.SECONDS))
			.isEqualTo("hops:background");
	}

	@Test
	void asyncMethodStartedByAppCodeStaysOnTheAppPoolAfterBackgroundWorkUsedTheExecutor() throws Exception {
		for (int i = 0; i < 20; i++) {
			Workload.BACKGROUND.call(() -> this.reports.applicationName()).get(30, TimeUnit.SECONDS);
			assertThat(this.reports.applicationName().get(30, TimeUnit.SECONDS)).isEqualTo("hops:app");
		}
	}

	@Test
	void supplyAsyncOnBootsExecutorCarriesTheWorkload() throws Exception {
		CompletableFuture<String> name = Workload.BACKGROUND
			.get(() -> CompletableFuture.supplyAsync(this::applicationName, this.applicationTaskExecutor));
		assertThat(name.get(30, TimeUnit.SECONDS)).isEqualTo("hops:background");
	}

	@Test
	void theApplicationsTaskDecoratorAndOursBothApply() throws Exception {
		TENANT.set("acme");
		try {
			CompletableFuture<String> result = Workload.BACKGROUND.get(() -> CompletableFuture
				.supplyAsync(() -> TENANT.get() + "@" + applicationName(), this.applicationTaskExecutor));
			assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("acme@hops:background");
		}
		finally {
			TENANT.remove();
		}
	}

	@Test
	void theCommonForkJoinPoolDoesNotCarryTheWorkloadUnlessTheTaskIsWrapped() throws Exception {
		CompletableFuture<String> unwrapped = Workload.BACKGROUND
			.get(() -> CompletableFuture.supplyAsync(this::applicationName));
		assertThat(unwrapped.get(30, TimeUnit.SECONDS)).isEqualTo("hops:app");
		CompletableFuture<String> wrapped = Workload.BACKGROUND.get(() -> {
			Workload workload = Workload.current();
			return CompletableFuture.supplyAsync(() -> workload.get(this::applicationName));
		});
		assertThat(wrapped.get(30, TimeUnit.SECONDS)).isEqualTo("hops:background");
	}

	private String applicationName() {
		return this.jdbc.sql("SELECT current_setting('application_name')").query(String.class).single();
	}

	@Component
	static class AsyncReports {

		private final JdbcClient jdbc;

		AsyncReports(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@Async
		CompletableFuture<String> applicationName() {
			return CompletableFuture
				.completedFuture(this.jdbc.sql("SELECT current_setting('application_name')").query(String.class).single());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableAsync
	@Import(AsyncReports.class)
	static class HopsApplication {

		/**
		 * The application's own decorator: carries a tenant id, as MDC or security decorators do.
		 */
		@Bean
		TaskDecorator tenantTaskDecorator() {
			return (task) -> {
				String tenant = TENANT.get();
				return () -> {
					TENANT.set(tenant);
					try {
						task.run();
					}
					finally {
						TENANT.remove();
					}
				};
			};
		}

	}

}
