package io.github.poolguard.integration.springbatch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The import job of the Spring Batch tests, as an application would write it: rows of a
 * {@code source} table copied into {@code imported}, each row recording the
 * {@code application_name} of the session that wrote it (and, for the concurrent-processing
 * job, of the session that processed it).
 */
final class ImportJobs {

	static final int ITEMS = 240;

	private static final AtomicLong launches = new AtomicLong(System.nanoTime());

	private ImportJobs() {
	}

	/**
	 * Create the tables of the job in the given database, outside the application.
	 * @param url the database
	 * @param username the user
	 * @param password the password
	 */
	static void createTables(String url, String username, String password) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, username, password);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE source (id int PRIMARY KEY)");
			statement.execute("INSERT INTO source SELECT generate_series(1, " + ITEMS + ")");
			statement.execute("CREATE TABLE imported (id int PRIMARY KEY, written_by text NOT NULL, processed_by text)");
		}
	}

	/**
	 * Start the job with fresh parameters, as a controller or a scheduled method would.
	 * @param jobOperator the operator
	 * @param job the job
	 * @return the execution, ended when the operator launches synchronously (Boot's default)
	 */
	static JobExecution launch(JobOperator jobOperator, Job job) throws Exception {
		return jobOperator.start(job,
				new JobParametersBuilder().addLong("launch", launches.incrementAndGet()).toJobParameters());
	}

	/**
	 * The multi-threaded chunk step of Spring Batch issue BATCH-1406: whole chunks run at once
	 * on 8 threads of a {@link SimpleAsyncTaskExecutor} built right here, which no task
	 * decorator of the application reaches.
	 */
	@Configuration(proxyBeanMethods = false)
	static class MultiThreadedImport {

		@Bean
		Job importJob(JobRepository jobRepository, Step importStep) {
			return new JobBuilder("importJob", jobRepository).start(importStep).build();
		}

		@Bean
		Valve valve(@Value("${test.open-chunks:2147483647}") int openChunks) {
			return new Valve(openChunks);
		}

		@Bean
		@SuppressWarnings("removal")
		Step importStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcTemplate jdbc,
				Valve valve, @Value("${test.chunk-pause:0.2}") double chunkPause) {
			SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("import-");
			threads.setConcurrencyLimit(8);
			return new StepBuilder("importStep", jobRepository).<Integer, Integer>chunk(10, transactionManager)
				.reader(new PendingIds(jdbc))
				.writer((chunk) -> {
					valve.pass();
					jdbc.queryForObject("SELECT pg_sleep(?)", Object.class, chunkPause);
					jdbc.batchUpdate(
							"INSERT INTO imported (id, written_by) VALUES (?, current_setting('application_name'))",
							chunk.getItems(), chunk.size(), (ps, id) -> ps.setInt(1, id));
				})
				.taskExecutor(threads)
				.build();
		}

	}

	/**
	 * Spring Batch 6's chunk-oriented step, its items processed at once on 8 threads of a
	 * hand-built executor; the processor reads the database on its own connection.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ConcurrentProcessingImport {

		@Bean
		Job importJob(JobRepository jobRepository, Step importStep) {
			return new JobBuilder("importJob", jobRepository).start(importStep).build();
		}

		@Bean
		Step importStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
				JdbcTemplate jdbc) {
			SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("process-");
			threads.setConcurrencyLimit(8);
			return new StepBuilder("importStep", jobRepository).<Integer, Processed>chunk(20)
				.transactionManager(transactionManager)
				.reader(new PendingIds(jdbc))
				.processor((id) -> new Processed(id,
						jdbc.queryForObject("SELECT current_setting('application_name')", String.class)))
				.writer((chunk) -> jdbc.batchUpdate(
						"INSERT INTO imported (id, written_by, processed_by) VALUES (?, current_setting('application_name'), ?)",
						chunk.getItems(), chunk.size(), (ps, item) -> {
							ps.setInt(1, item.id());
							ps.setString(2, item.processedBy());
						}))
				.taskExecutor(threads)
				.build();
		}

	}

	record Processed(int id, String processedBy) {
	}

	/**
	 * Lets the first chunks write, then holds every further chunk until the test opens it: a
	 * test acts on a running job at a point it chose, not at a point a clock chose.
	 */
	static final class Valve {

		private final int openChunks;

		private final AtomicInteger passed = new AtomicInteger();

		private final CountDownLatch opened = new CountDownLatch(1);

		Valve(int openChunks) {
			this.openChunks = openChunks;
		}

		void pass() throws InterruptedException {
			if (this.passed.incrementAndGet() > this.openChunks) {
				this.opened.await();
			}
		}

		void open() {
			this.opened.countDown();
		}

	}

	/**
	 * Reads the ids not imported yet, so a restarted job continues where the stopped one ended.
	 * Thread-safe: the multi-threaded step's chunks read at once.
	 */
	static final class PendingIds implements ItemStreamReader<Integer> {

		private final JdbcTemplate jdbc;

		private final Queue<Integer> pending = new ConcurrentLinkedQueue<>();

		PendingIds(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public void open(ExecutionContext executionContext) {
			this.pending.clear();
			this.pending.addAll(this.jdbc.queryForList(
					"SELECT id FROM source s WHERE NOT EXISTS (SELECT 1 FROM imported i WHERE i.id = s.id) ORDER BY id",
					Integer.class));
		}

		@Override
		public @Nullable Integer read() {
			return this.pending.poll();
		}

	}

}
