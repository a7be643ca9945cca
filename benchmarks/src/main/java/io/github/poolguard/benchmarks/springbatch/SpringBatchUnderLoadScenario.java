package io.github.poolguard.benchmarks.springbatch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The scenario: a Spring Batch import (multi-threaded step, 8 threads on a hand-built
 * executor) launched from a web request while an open-loop load reads the API, once without
 * PoolGuard ({@code poolguard.enabled=false}: the job runs on the app pool) and once with it
 * (background pool of 3). Reports the job's duration and the API's p99 idle and during the job.
 * The app and the load generator share one JVM and the machine's cores.
 *
 * <p>
 * {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.poolguard.benchmarks.springbatch.SpringBatchUnderLoadScenario benchmarks/results};
 * {@code -Dbench.items=} (20000), {@code -Dbench.rate=} (req/s, 100), {@code -Dbench.idle=}
 * (seconds, 10), {@code -Dbench.warmup=} (seconds, 5), {@code -Dbench.threads=} (8),
 * {@code -Dbench.app-pool=} (10), {@code -Dbench.rounds=} (1 per mode).
 */
public final class SpringBatchUnderLoadScenario {

	private SpringBatchUnderLoadScenario() {
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "benchmarks/results");
		int items = Integer.getInteger("bench.items", 20_000);
		double rate = Double.parseDouble(System.getProperty("bench.rate", "100"));
		int idle = Integer.getInteger("bench.idle", 10);
		int warmup = Integer.getInteger("bench.warmup", 5);
		int threads = Integer.getInteger("bench.threads", 8);
		int appPool = Integer.getInteger("bench.app-pool", 10);
		int rounds = Integer.getInteger("bench.rounds", 1);
		PostgresServer server = TestPostgres.shared();
		List<String> rows = new ArrayList<>();
		for (int round = 1; round <= rounds; round++) {
			for (boolean guarded : new boolean[] { false, true }) {
				rows.add(round(server, guarded, round, items, rate, idle, warmup, threads, appPool));
			}
		}
		StringBuilder report = new StringBuilder();
		report.append("# Spring Batch job under an open-loop API load\n\n")
			.append(String.format(Locale.ROOT,
					"%d items, %d step threads (hand-built SimpleAsyncTaskExecutor), chunk 50, app pool %d,"
							+ " background pool 3 (guarded), %.0f req/s open loop, %d s idle window, %d cores.%n%n",
					items, threads, appPool, rate, idle, Runtime.getRuntime().availableProcessors()))
			.append("| round | mode | job | job s | API p50 idle ms | p99 idle ms | p99 during ms | p99 ratio"
					+ " | max during ms | requests idle/during | errors | rows written by |\n")
			.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		rows.forEach((row) -> report.append(row).append('\n'));
		Files.createDirectories(output);
		Files.writeString(output.resolve("spring-batch-under-load.md"), report);
		System.out.println(report);
	}

	private static String round(PostgresServer server, boolean guarded, int round, int items, double rate, int idle,
			int warmup, int threads, int appPool) throws Exception {
		String name = guarded ? "sbatch-guarded" : "sbatch-naive";
		String url = server.createDatabase(name);
		createTables(url, server, items);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ImportApp.class)
			.properties("server.port=0", "spring.application.name=" + name, "spring.datasource.url=" + url,
					"spring.datasource.username=" + server.username(), "spring.datasource.password=" + server.password(),
					"spring.datasource.hikari.maximum-pool-size=" + appPool, "spring.batch.jdbc.initialize-schema=always",
					"spring.batch.job.enabled=false", "poolguard.enabled=" + guarded,
					"poolguard.background.hikari.maximum-pool-size=3", "bench.items=" + items,
					"bench.threads=" + threads, "logging.level.root=WARN")
			.run()) {
			String base = "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			ApiLoad load = new ApiLoad(base, rate);
			load.start();
			Thread.sleep(warmup * 1000L);
			long idleFrom = System.nanoTime();
			Thread.sleep(idle * 1000L);
			long jobFrom = System.nanoTime();
			ExecutorService launcher = Executors.newSingleThreadExecutor();
			HttpResponse<String> launched;
			try {
				launched = CompletableFuture.supplyAsync(() -> post(base + "/jobs/import"), launcher).get();
			}
			finally {
				launcher.shutdown();
			}
			long jobTo = System.nanoTime();
			List<ApiLoad.Sample> samples = load.stop();
			double[] idleStats = ApiLoad.summarise(samples, idleFrom, jobFrom);
			double[] during = ApiLoad.summarise(samples, jobFrom, jobTo);
			Map<String, Long> writtenBy = new TreeMap<>();
			context.getBean(JdbcTemplate.class)
				.query("SELECT written_by, count(*) FROM imported GROUP BY written_by",
						(RowCallbackHandler) (row) -> writtenBy.put(row.getString(1), row.getLong(2)));
			String body = launched.body();
			String status = body.replaceAll(".*\"status\":\"([A-Z]+)\".*", "$1");
			long millis = Long.parseLong(body.replaceAll(".*\"millis\":(\\d+).*", "$1"));
			return String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f | %.0f/%.0f | %.0f | %s |",
					round, guarded ? "guarded" : "naive", status, millis / 1000.0, idleStats[2], idleStats[3],
					during[3], during[3] / idleStats[3], during[4], idleStats[0], during[0], idleStats[1] + during[1],
					writtenBy);
		}
	}

	private static void createTables(String url, PostgresServer server, int items) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, server.username(), server.password());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE source (id int PRIMARY KEY, payload text NOT NULL)");
			statement.execute("INSERT INTO source SELECT i, repeat(md5(i::text), 8) FROM generate_series(1, " + items
					+ ") i");
			statement.execute("CREATE TABLE imported (id int PRIMARY KEY, digest text, written_by text)");
			statement.execute("CREATE TABLE api_items (id int PRIMARY KEY, name text NOT NULL)");
			statement.execute("INSERT INTO api_items SELECT i, 'item ' || i FROM generate_series(1, 1000) i");
		}
	}

	private static HttpResponse<String> post(String url) {
		try {
			return HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(url))
					.timeout(Duration.ofMinutes(10))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
