package io.github.poolguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario: every app pool connection is borrowed. How long do PoolGuard's
 * {@code connections} and {@code db} indicators take to answer, against Spring Boot's stock
 * {@code db} indicator ({@link DataSourceHealthIndicator} on the same DataSource), in the same
 * run? In-process calls timed with {@link System#nanoTime()} against an embedded PostgreSQL
 * server; the app pool's connection timeout is 2 s, so the stock indicator blocks for 2 s per
 * call and only a few of its calls are made.
 * <p>
 * Arguments: [output directory, default {@code benchmarks/results}] [PoolGuard calls, default
 * 2000] [stock calls, default 3].
 */
public final class HealthLatencyScenario {

	private HealthLatencyScenario() {
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "benchmarks/results");
		int calls = (args.length > 1) ? Integer.parseInt(args[1]) : 2000;
		int stockCalls = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
		PostgresServer server = TestPostgres.shared();
		int poolSize = 5;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ScenarioApp.class)
			.web(WebApplicationType.NONE)
			.properties("spring.application.name=health-scenario", "spring.datasource.url=" + server.jdbcUrl(),
					"spring.datasource.username=" + server.username(),
					"spring.datasource.password=" + server.password(),
					"spring.datasource.hikari.maximum-pool-size=" + poolSize,
					"spring.datasource.hikari.connection-timeout=2000", "poolguard.monitor.interval=1s")
			.run()) {
			DataSource dataSource = context.getBean(DataSource.class);
			HealthIndicator connections = context.getBean(PoolGuardMonitorAutoConfiguration.HEALTH_INDICATOR_BEAN_NAME,
					HealthIndicator.class);
			HealthIndicator db = context.getBean("dbHealthContributor", HealthIndicator.class);
			HealthIndicator stock = new DataSourceHealthIndicator(dataSource);
			List<Connection> held = new ArrayList<>();
			try {
				for (int i = 0; i < poolSize; i++) {
					held.add(dataSource.getConnection());
				}
				Thread.sleep(1500);
				Result warmUp = measure("warm-up", connections, calls);
				Result poolGuardConnections = measure("PoolGuard connections", connections, calls);
				Result poolGuardDb = measure("PoolGuard db", db, calls);
				Result stockDb = measure("Spring Boot stock db", stock, stockCalls);
				write(output, poolSize, warmUp, List.of(poolGuardConnections, poolGuardDb, stockDb));
			}
			finally {
				for (Connection connection : held) {
					connection.close();
				}
			}
		}
		System.exit(0);
	}

	private static Result measure(String name, HealthIndicator indicator, int calls) {
		long[] nanos = new long[calls];
		String status = null;
		for (int i = 0; i < calls; i++) {
			long start = System.nanoTime();
			Health health = indicator.health();
			nanos[i] = System.nanoTime() - start;
			status = String.valueOf(health.getStatus());
		}
		Arrays.sort(nanos);
		double mean = Arrays.stream(nanos).average().orElse(0);
		return new Result(name, calls, status, mean, nanos[calls / 2], nanos[Math.min(calls - 1, (int) (calls * 0.99))],
				nanos[calls - 1]);
	}

	private static void write(Path output, int poolSize, Result warmUp, List<Result> results) throws IOException {
		Files.createDirectories(output);
		Result stock = results.get(results.size() - 1);
		StringBuilder md = new StringBuilder();
		md.append("# Health latency while every app connection is borrowed\n\n");
		md.append("Run ").append(Instant.now()).append(", Java ").append(System.getProperty("java.version"));
		md.append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs. App pool of ");
		md.append(poolSize).append(" connections, all borrowed; connectionTimeout 2000 ms; embedded PostgreSQL;");
		md.append(" in-process calls timed with System.nanoTime (").append(warmUp.calls());
		md.append(" warm-up calls first).\n\n");
		md.append("| indicator | calls | status | mean | p50 | p99 | max | stock db mean ÷ this mean |\n|---|---|---|---|---|---|---|---|\n");
		StringBuilder json = new StringBuilder("{\n  \"poolSize\": " + poolSize + ",\n  \"connectionTimeoutMs\": 2000,\n  \"results\": [\n");
		for (int i = 0; i < results.size(); i++) {
			Result result = results.get(i);
			md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", result.name(),
					result.calls(), result.status(), time(result.mean()), time(result.p50()), time(result.p99()),
					time(result.max()), String.format(Locale.ROOT, "%,.0f×", stock.mean() / result.mean())));
			json.append(String.format(Locale.ROOT,
					"    {\"indicator\": \"%s\", \"calls\": %d, \"status\": \"%s\", \"meanNs\": %.0f, \"p50Ns\": %d,"
							+ " \"p99Ns\": %d, \"maxNs\": %d, \"stockMeanOverThisMean\": %.1f}%s%n",
					result.name(), result.calls(), result.status(), result.mean(), result.p50(), result.p99(),
					result.max(), stock.mean() / result.mean(), (i < results.size() - 1) ? "," : ""));
		}
		json.append("  ]\n}\n");
		Files.writeString(output.resolve("health-latency.md"), md);
		Files.writeString(output.resolve("health-latency.json"), json);
		System.out.println(md);
	}

	private static String time(double nanos) {
		if (nanos >= 1_000_000) {
			return String.format(Locale.ROOT, "%.1f ms", nanos / 1_000_000);
		}
		return String.format(Locale.ROOT, "%.1f µs", nanos / 1_000);
	}

	record Result(String name, int calls, String status, double mean, long p50, long p99, long max) {
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ScenarioApp {

	}

}
