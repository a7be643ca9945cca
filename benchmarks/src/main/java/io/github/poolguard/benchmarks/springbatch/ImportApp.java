package io.github.poolguard.benchmarks.springbatch;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application under test: a small read API and the import job of the issue (a
 * multi-threaded chunk step, 8 threads on a {@link SimpleAsyncTaskExecutor} built here), launched
 * by {@code POST /jobs/import}. The same code runs with and without PoolGuard.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = {
		"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
class ImportApp {

	@Bean
	Job importJob(JobRepository jobRepository, Step importStep) {
		return new JobBuilder("importJob", jobRepository).start(importStep).build();
	}

	@Bean
	@SuppressWarnings("removal")
	Step importStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcTemplate jdbc,
			@Value("${bench.items}") int items, @Value("${bench.threads}") int threads) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("import-");
		executor.setConcurrencyLimit(threads);
		Queue<Integer> ids = new ConcurrentLinkedQueue<>();
		return new StepBuilder("importStep", jobRepository).<Integer, Object[]>chunk(50, transactionManager)
			.reader(new ItemReader<>() {
				@Override
				public @Nullable Integer read() {
					return ids.poll();
				}
			})
			.processor((id) -> new Object[] { id,
					jdbc.queryForObject("SELECT md5(payload) FROM source WHERE id = ?", String.class, id) })
			.writer((chunk) -> jdbc.batchUpdate(
					"INSERT INTO imported (id, digest, written_by) VALUES (?, ?, current_setting('application_name'))",
					chunk.getItems()))
			.listener(new org.springframework.batch.core.listener.StepExecutionListener() {
				@Override
				public void beforeStep(org.springframework.batch.core.step.StepExecution stepExecution) {
					ids.clear();
					IntStream.rangeClosed(1, items).forEach(ids::add);
				}
			})
			.taskExecutor(executor)
			.build();
	}

	// registered as a member class of this configuration
	@RestController
	static class Api {

		private final JdbcTemplate jdbc;

		private final JobOperator jobOperator;

		private final Job importJob;

		Api(JdbcTemplate jdbc, JobOperator jobOperator, Job importJob) {
			this.jdbc = jdbc;
			this.jobOperator = jobOperator;
			this.importJob = importJob;
		}

		@GetMapping("/api/items/{id}")
		Map<String, Object> item(@PathVariable int id) {
			return this.jdbc.queryForMap("SELECT id, name, (SELECT count(*) FROM api_items WHERE id <= ?) AS rank_"
					+ " FROM api_items WHERE id = ?", id, id);
		}

		@PostMapping("/jobs/import")
		Map<String, Object> launch() throws Exception {
			JobExecution execution = this.jobOperator.start(this.importJob,
					new JobParametersBuilder().addLong("at", System.nanoTime()).toJobParameters());
			return Map.of("status", execution.getStatus().name(), "millis",
					java.time.Duration.between(execution.getStartTime(), execution.getEndTime()).toMillis());
		}

	}

}
