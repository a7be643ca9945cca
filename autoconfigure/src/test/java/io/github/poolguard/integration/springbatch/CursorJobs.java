package io.github.poolguard.integration.springbatch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The commonest Spring Batch job shape (issue 29): a {@link JdbcCursorItemReader} over a table,
 * which holds its connection from the step's open to its close, and a chunk-oriented step whose
 * chunks write to another table, each in a transaction that needs a connection of its own.
 */
final class CursorJobs {

	static final int ROWS = 5_000;

	private static final AtomicLong launches = new AtomicLong(System.nanoTime());

	private CursorJobs() {
	}

	static void createTables(String url, String username, String password) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, username, password);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE cursor_source (id int PRIMARY KEY)");
			statement.execute("INSERT INTO cursor_source SELECT generate_series(1, " + ROWS + ")");
			statement.execute("CREATE TABLE cursor_imported (id int PRIMARY KEY, written_by text NOT NULL)");
		}
	}

	static JobExecution launch(JobOperator jobOperator, Job job) throws Exception {
		return jobOperator.start(job,
				new JobParametersBuilder().addLong("launch", launches.incrementAndGet()).toJobParameters());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class CursorApp {

		@Bean
		Job cursorJob(JobRepository jobRepository, Step cursorStep) {
			return new JobBuilder("cursorJob", jobRepository).start(cursorStep).build();
		}

		// cursor.tasklet=true: the older chunk(size, transactionManager) builder, whose TaskletStep
		// writes the step's execution context after the reader opened and before the first chunk
		@Bean
		@SuppressWarnings("removal")
		Step cursorStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
				DataSource dataSource, JdbcTemplate jdbc, @Value("${cursor.tasklet:false}") boolean tasklet) {
			JdbcCursorItemReader<Integer> reader = new JdbcCursorItemReaderBuilder<Integer>().name("cursorSource")
				.dataSource(dataSource)
				.sql("SELECT id FROM cursor_source ORDER BY id")
				.rowMapper((row, number) -> row.getInt(1))
				.build();
			ItemWriter<Integer> writer = (chunk) -> jdbc.batchUpdate(
					"INSERT INTO cursor_imported (id, written_by) VALUES (?, current_setting('application_name'))",
					chunk.getItems(), chunk.size(), (ps, id) -> ps.setInt(1, id));
			if (tasklet) {
				return new StepBuilder("cursorStep", jobRepository).<Integer, Integer>chunk(100, transactionManager)
					.reader(reader)
					.writer(writer)
					.build();
			}
			return new StepBuilder("cursorStep", jobRepository).<Integer, Integer>chunk(100)
				.transactionManager(transactionManager)
				.reader(reader)
				.writer(writer)
				.build();
		}

	}

}
