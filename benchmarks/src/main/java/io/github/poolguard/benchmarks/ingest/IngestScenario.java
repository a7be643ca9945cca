package io.github.poolguard.benchmarks.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ingest throughput on a 2-connection budget: 300 tickers × 5 years of daily rows written by
 * two workers (one connection each), one ticker per transaction, four ways: JPA
 * {@code saveAll} with Hibernate batching, a JDBC batch upsert without and with pgjdbc's
 * {@code reWriteBatchedInserts}, and {@code COPY} (the physical limit). Each way runs
 * {@value #ROUNDS} times, alternated, on an empty table; the best round counts. Writes
 * {@code results/ingest.json} and {@code results/ingest.md}.
 *
 * <pre>java -cp target/benchmarks.jar io.github.poolguard.benchmarks.ingest.IngestScenario</pre>
 */
public final class IngestScenario {

	static final int TICKERS = 300;

	static final int ROUNDS = 2;

	static final int WORKERS = 2;

	private static final String CREATE = """
			CREATE TABLE daily_quote (ticker varchar(12) NOT NULL, trade_date date NOT NULL,
			    open numeric(18,4) NOT NULL, high numeric(18,4) NOT NULL, low numeric(18,4) NOT NULL,
			    close numeric(18,4) NOT NULL, adjusted_close numeric(18,4) NOT NULL, volume bigint NOT NULL,
			    PRIMARY KEY (ticker, trade_date))""";

	private static final String UPSERT = """
			INSERT INTO daily_quote (ticker, trade_date, open, high, low, close, adjusted_close, volume)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ticker, trade_date) DO UPDATE SET open = excluded.open, high = excluded.high,
			    low = excluded.low, close = excluded.close, adjusted_close = excluded.adjusted_close,
			    volume = excluded.volume""";

	private IngestScenario() {
	}

	public static void main(String[] args) throws Exception {
		Path results = Path.of(args.length > 0 ? args[0] : "results");
		Files.createDirectories(results);
		LocalDate to = LocalDate.of(2026, 10, 30);
		LocalDate from = to.minusYears(5);
		List<List<QuoteRow>> tickers = new ArrayList<>();
		for (int i = 0; i < TICKERS; i++) {
			tickers.add(QuoteRow.history(String.format(Locale.ROOT, "T%03dX3", i), from, to));
		}
		long rows = tickers.stream().mapToLong(List::size).sum();
		System.out.printf("%d tickers, %,d rows, %d workers%n", TICKERS, rows, WORKERS);
		Map<String, Double> best = new LinkedHashMap<>();
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "20").start()) {
			String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
			execute(url, CREATE);
			for (int round = 1; round <= ROUNDS; round++) {
				record("jpa-saveAll", best, rows, jpa(url, tickers));
				record("jdbc-upsert", best, rows, jdbc(url, tickers, false));
				record("jdbc-upsert-rewrite", best, rows, jdbc(url, tickers, true));
				record("copy", best, rows, copy(url, tickers));
			}
		}
		write(results, best, rows);
	}

	private static void record(String way, Map<String, Double> best, long rows, long nanos) {
		double perSecond = rows / (nanos / 1e9);
		System.out.printf(Locale.ROOT, "%-22s %,12.0f rows/s (%.2f s)%n", way, perSecond, nanos / 1e9);
		best.merge(way, perSecond, Math::max);
	}

	private static long jdbc(String url, List<List<QuoteRow>> tickers, boolean rewrite) throws Exception {
		execute(url, "TRUNCATE daily_quote");
		return inParallel(tickers, url, rewrite, (connection, rows) -> {
			try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
				for (QuoteRow row : rows) {
					statement.setString(1, row.ticker());
					statement.setDate(2, Date.valueOf(row.date()));
					statement.setBigDecimal(3, row.open());
					statement.setBigDecimal(4, row.high());
					statement.setBigDecimal(5, row.low());
					statement.setBigDecimal(6, row.close());
					statement.setBigDecimal(7, row.adjustedClose());
					statement.setLong(8, row.volume());
					statement.addBatch();
				}
				statement.executeBatch();
			}
		});
	}

	private static long copy(String url, List<List<QuoteRow>> tickers) throws Exception {
		execute(url, "TRUNCATE daily_quote");
		return inParallel(tickers, url, false, (connection, rows) -> {
			StringBuilder csv = new StringBuilder(rows.size() * 64);
			for (QuoteRow row : rows) {
				csv.append(row.ticker()).append(',').append(row.date()).append(',').append(row.open()).append(',')
					.append(row.high()).append(',').append(row.low()).append(',').append(row.close()).append(',')
					.append(row.adjustedClose()).append(',').append(row.volume()).append('\n');
			}
			try {
				connection.unwrap(PGConnection.class)
					.getCopyAPI()
					.copyIn("COPY daily_quote FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
			}
			catch (IOException ex) {
				throw new SQLException(ex);
			}
		});
	}

	private static long jpa(String url, List<List<QuoteRow>> tickers) throws Exception {
		execute(url, "TRUNCATE daily_quote");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(JpaIngestApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("spring.datasource.url=" + url, "spring.datasource.username=postgres",
					"spring.datasource.password=postgres", "spring.datasource.hikari.maximum-pool-size=" + WORKERS,
					"poolguard.enabled=false", "spring.jpa.hibernate.ddl-auto=none", "spring.main.banner-mode=off",
					"spring.jpa.properties.hibernate.jdbc.batch_size=1000",
					"spring.jpa.properties.hibernate.order_inserts=true")
			.run()) {
			QuoteEntityRepository repository = context.getBean(QuoteEntityRepository.class);
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
			long start = System.nanoTime();
			List<Future<?>> done = new ArrayList<>();
			for (int w = 0; w < WORKERS; w++) {
				int worker = w;
				done.add(workers.submit(() -> {
					for (int i = worker; i < tickers.size(); i += WORKERS) {
						List<QuoteEntity> entities = tickers.get(i).stream().map(QuoteEntity::new).toList();
						transactions.executeWithoutResult((status) -> repository.saveAll(entities));
					}
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
			long nanos = System.nanoTime() - start;
			workers.shutdown();
			return nanos;
		}
	}

	private static long inParallel(List<List<QuoteRow>> tickers, String url, boolean rewrite, Writer writer)
			throws Exception {
		ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
		long start = System.nanoTime();
		List<Future<?>> done = new ArrayList<>();
		for (int w = 0; w < WORKERS; w++) {
			int worker = w;
			done.add(workers.submit(() -> {
				try (Connection connection = connect(url, rewrite)) {
					connection.setAutoCommit(false);
					for (int i = worker; i < tickers.size(); i += WORKERS) {
						writer.write(connection, tickers.get(i));
						connection.commit();
					}
				}
				return null;
			}));
		}
		for (Future<?> future : done) {
			future.get();
		}
		long nanos = System.nanoTime() - start;
		workers.shutdown();
		return nanos;
	}

	private static Connection connect(String url, boolean rewrite) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", "postgres");
		properties.setProperty("password", "postgres");
		properties.setProperty("reWriteBatchedInserts", Boolean.toString(rewrite));
		return DriverManager.getConnection(url, properties);
	}

	private static void execute(String url, String sql) throws SQLException {
		try (Connection connection = connect(url, false); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static void write(Path results, Map<String, Double> best, long rows) throws IOException {
		double copy = best.get("copy");
		StringBuilder json = new StringBuilder("{\n  \"tickers\": " + TICKERS + ",\n  \"rows\": " + rows
				+ ",\n  \"workers\": " + WORKERS + ",\n  \"rowsPerSecond\": {");
		StringBuilder markdown = new StringBuilder("| way | rows/s (best of " + ROUNDS + ") | ratio to COPY |\n|---|---|---|\n");
		String separator = "\n";
		for (Map.Entry<String, Double> entry : best.entrySet()) {
			json.append(separator).append("    \"").append(entry.getKey()).append("\": ")
				.append(String.format(Locale.ROOT, "%.0f", entry.getValue()));
			separator = ",\n";
			markdown.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f |%n", entry.getKey(), entry.getValue(),
					entry.getValue() / copy));
		}
		json.append("\n  }\n}\n");
		Files.writeString(results.resolve("ingest.json"), json);
		Files.writeString(results.resolve("ingest.md"), markdown);
		System.out.print(markdown);
	}

	@FunctionalInterface
	interface Writer {

		void write(Connection connection, List<QuoteRow> rows) throws SQLException;

	}

}
