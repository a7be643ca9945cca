package io.github.poolguard.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.github.poolguard.internal.springbatch.ChunkGate;
import io.github.poolguard.internal.springbatch.StepGovernor;
import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of {@link PoolGuardSpringBatchAutoConfiguration}: on with Spring Batch, off without
 * it and with {@code poolguard.batch.spring-batch.enabled=false}; a job's step runs as
 * background work only when it is on. On an in-memory H2 database: the workload is the
 * thread's, whatever the server.
 */
class PoolGuardSpringBatchAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardBatchAutoConfiguration.class, PoolGuardSpringBatchAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				BatchAutoConfiguration.class, BatchJdbcAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:springbatch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"spring.application.name=jobs", "spring.batch.job.enabled=false",
				"poolguard.background.hikari.maximum-pool-size=2");

	@Test
	void stepsOfAJobRunAsBackgroundWorkBehindAGateOfTheBackgroundPoolsSize() {
		this.runner.withUserConfiguration(RecordingJob.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ChunkGate.class).getPermits()).isEqualTo(2);
			assertThat(run(context)).isEqualTo(BatchStatus.COMPLETED);
			assertThat(context.getBean(RecordingJob.class).workloads).containsExactly(Workload.BACKGROUND);
		});
	}

	@Test
	void aProxiedStepBeanIsGovernedThroughItsTarget() {
		this.runner.withUserConfiguration(ProxiedStepJob.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(run(context)).isEqualTo(BatchStatus.COMPLETED);
			assertThat(context.getBean(ProxiedStepJob.class).workloads).containsExactly(Workload.BACKGROUND);
		});
	}

	@Test
	void theLaunchingThreadIsAppWorkAgainAfterAStepWhoseListenerThrowsInAfterStep() {
		this.runner.withUserConfiguration(ThrowingAfterStepJob.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(Workload.current()).isEqualTo(Workload.APP);
			// Spring Batch logs the listener's exception and completes the step
			assertThat(run(context)).isEqualTo(BatchStatus.COMPLETED);
			assertThat(context.getBean(ThrowingAfterStepJob.class).workloads).containsExactly(Workload.BACKGROUND);
			// Boot's JobOperator ran the job on this thread
			assertThat(Workload.current()).isEqualTo(Workload.APP);
			assertThat(context.getBean(ChunkGate.class).getPermits()).isEqualTo(2);
		});
	}

	@Test
	void backsOffWhenSwitchedOff() {
		this.runner.withUserConfiguration(RecordingJob.class)
			.withPropertyValues("poolguard.batch.spring-batch.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(StepGovernor.class).doesNotHaveBean(ChunkGate.class);
				assertThat(run(context)).isEqualTo(BatchStatus.COMPLETED);
				assertThat(context.getBean(RecordingJob.class).workloads).containsExactly(Workload.APP);
			});
	}

	@Test
	void backsOffWithoutSpringBatch() {
		this.runner.withClassLoader(new FilteredClassLoader(Step.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(StepGovernor.class)
				.doesNotHaveBean(ChunkGate.class)
				.hasBean("throttlingExecutor"));
	}

	private static BatchStatus run(org.springframework.context.ApplicationContext context) throws Exception {
		return context.getBean(JobOperator.class)
			.start(context.getBean(Job.class), new JobParameters())
			.getStatus();
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingJob {

		final List<Workload> workloads = Collections.synchronizedList(new ArrayList<>());

		@Bean
		Job recordingJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
					// the step is built inline, so only the job is a bean
			Step step = new StepBuilder("record", jobRepository).tasklet((contribution, chunkContext) -> {
				this.workloads.add(Workload.current());
				return RepeatStatus.FINISHED;
			}, transactionManager).build();
			return new JobBuilder("recording", jobRepository).start(step).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingAfterStepJob {

		final List<Workload> workloads = Collections.synchronizedList(new ArrayList<>());

		@Bean
		Job throwingJob(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
			Step step = new StepBuilder("record", jobRepository).tasklet((contribution, chunkContext) -> {
				this.workloads.add(Workload.current());
				return RepeatStatus.FINISHED;
			}, transactionManager).listener(new StepExecutionListener() {

				@Override
				public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
					throw new IllegalStateException("the application's afterStep failed");
				}

			}).build();
			return new JobBuilder("throwing", jobRepository).start(step).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxiedStepJob {

		final List<Workload> workloads = Collections.synchronizedList(new ArrayList<>());

		@Bean
		Step record(JobRepository jobRepository, PlatformTransactionManager transactionManager) {
			Step step = new StepBuilder("record", jobRepository).tasklet((contribution, chunkContext) -> {
				this.workloads.add(Workload.current());
				return RepeatStatus.FINISHED;
			}, transactionManager).build();
			// as an application's own advice would wrap it: a JDK proxy on the step's interfaces
			return (Step) new ProxyFactory(step).getProxy();
		}

		@Bean
		Job recordingJob(JobRepository jobRepository, Step record) {
			return new JobBuilder("recording", jobRepository).start(record).build();
		}

	}

}
