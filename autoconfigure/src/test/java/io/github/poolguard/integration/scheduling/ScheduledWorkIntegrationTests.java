package io.github.poolguard.integration.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardSchedulingAutoConfiguration;
import io.github.poolguard.internal.routing.ScheduledWork;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which pool serves work that Spring's schedulers run: Boot's scheduler, the application's own
 * scheduler beans, and {@code poolguard.scheduling.workload=app}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduledWorkIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final String NAME_QUERY = "SELECT current_setting('application_name')";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardSchedulingAutoConfiguration.class, DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.jdbcUrl()))
		.withPropertyValues("spring.application.name=jobs");

	@Test
	void scheduledMethodOnBootsSchedulerRunsAsScheduledBackgroundWork() {
		this.runner.withUserConfiguration(ReportingJob.class).run((context) -> {
			ReportingJob job = context.getBean(ReportingJob.class);
			assertThat(job.seen.get(30, TimeUnit.SECONDS)).isEqualTo("jobs:background scheduled");
		});
	}

	@Test
	void schedulingWorkloadAppRestoresTheOldBehaviour() {
		this.runner.withUserConfiguration(ReportingJob.class)
			.withPropertyValues("poolguard.scheduling.workload=app")
			.run((context) -> {
				ReportingJob job = context.getBean(ReportingJob.class);
				assertThat(job.seen.get(30, TimeUnit.SECONDS)).isEqualTo("jobs:app scheduled");
			});
	}

	@Test
	void applicationsThreadPoolTaskSchedulerRunsTasksAsBackgroundAndKeepsItsOwnDecorator() {
		this.runner.withUserConfiguration(OwnThreadPoolScheduler.class).run((context) -> {
			TaskScheduler scheduler = context.getBean(TaskScheduler.class);
			assertThat(schedule(scheduler, context.getBean(JdbcClient.class)))
				.isEqualTo("own:jobs:background scheduled");
		});
	}

	@Test
	void applicationsSimpleAsyncTaskSchedulerRunsTasksAsBackground() {
		this.runner.withUserConfiguration(OwnSimpleAsyncScheduler.class).run((context) -> {
			TaskScheduler scheduler = context.getBean(TaskScheduler.class);
			assertThat(schedule(scheduler, context.getBean(JdbcClient.class)))
				.isEqualTo("jobs:background scheduled");
		});
	}

	@Test
	void anUnboundedSimpleAsyncTaskSchedulerIsNamedAtStartupWithThePropertyThatBoundsIt(CapturedOutput output) {
		this.runner.withUserConfiguration(OwnSimpleAsyncScheduler.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce("PoolGuard: task scheduler 'ownScheduler' (SimpleAsyncTaskScheduler,")
			.contains("overlapping runs pile up on pool 'jobs:background' (max 3 connections)")
			.contains("Bound it with spring.task.scheduling.simple.concurrency-limit");
	}

	@Test
	void theWarningNamesTheAppPoolWhenScheduledWorkUsesIt(CapturedOutput output) {
		this.runner.withUserConfiguration(OwnSimpleAsyncScheduler.class)
			.withPropertyValues("poolguard.scheduling.workload=app", "spring.datasource.hikari.maximum-pool-size=4")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("overlapping runs pile up on pool 'jobs:app' (max 4 connections)");
	}

	@Test
	void boundedSchedulersAreNotNamed(CapturedOutput output) {
		this.runner.withUserConfiguration(OwnThreadPoolScheduler.class)
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withUserConfiguration(OwnSimpleAsyncScheduler.class)
			.withBean("limitedScheduler", SimpleAsyncTaskScheduler.class, () -> {
				SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();
				scheduler.setConcurrencyLimit(1);
				return scheduler;
			})
			.run((context) -> assertThat(context).hasNotFailed());
		// only the unbounded scheduler of the second context is named
		assertThat(output).containsOnlyOnce("PoolGuard: task scheduler")
			.contains("PoolGuard: task scheduler 'ownScheduler'")
			.doesNotContain("PoolGuard: task scheduler 'limitedScheduler'");
	}

	private static String schedule(TaskScheduler scheduler, JdbcClient jdbc) throws Exception {
		CompletableFuture<String> seen = new CompletableFuture<>();
		scheduler.schedule(() -> seen.complete(OwnThreadPoolScheduler.PREFIX.get() + describe(jdbc)),
				Instant.now().plusMillis(10));
		return seen.get(30, TimeUnit.SECONDS);
	}

	static String describe(JdbcClient jdbc) {
		String name = jdbc.sql(NAME_QUERY).query(String.class).single();
		return name + (ScheduledWork.isRunning() ? " scheduled" : " unscheduled");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ReportingJob {

		final CompletableFuture<String> seen = new CompletableFuture<>();

		private final JdbcClient jdbc;

		ReportingJob(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@Scheduled(fixedDelay = 100)
		void report() {
			this.seen.complete(describe(this.jdbc));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnThreadPoolScheduler {

		static final ThreadLocal<String> PREFIX = ThreadLocal.withInitial(() -> "");

		@Bean(destroyMethod = "shutdown")
		ThreadPoolTaskScheduler ownScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setPoolSize(2);
			scheduler.setTaskDecorator((task) -> () -> {
				PREFIX.set("own:");
				try {
					task.run();
				}
				finally {
					PREFIX.remove();
				}
			});
			return scheduler;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSimpleAsyncScheduler {

		@Bean(destroyMethod = "close")
		SimpleAsyncTaskScheduler ownScheduler() {
			SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();
			scheduler.setTaskTerminationTimeout(Duration.ofSeconds(5).toMillis());
			return scheduler;
		}

	}

}
