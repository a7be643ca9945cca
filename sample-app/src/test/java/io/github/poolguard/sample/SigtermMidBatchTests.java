package io.github.poolguard.sample;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fetch-ward} as a separate process that gets SIGTERM in the middle of a run: it drains
 * within the grace period, leaves no connection behind, and a rerun fetches only what was left.
 */
class SigtermMidBatchTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void sigtermDrainsLeavesNoConnectionAndARerunCompletesOnlyWhatWasLeft(@TempDir Path dir) throws Exception {
		String url = server.createDatabase("sigterm");
		JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, server.username(), server.password()));
		List<String> settings = List.of("--spring.datasource.url=" + url,
				"--spring.datasource.username=" + server.username(), "--spring.datasource.password=" + server.password(),
				"--spring.application.name=sigterm-test", "--sample.universe.size=40", "--sample.fetch.history-days=30",
				"--sample.sources.simulator-latency=150ms", "--poolguard.batch.shutdown-grace-period=20s",
				"--spring.main.banner-mode=off", "--logging.file.name=" + dir.resolve("app.log"));
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "fetch-ward"));
		command.addAll(settings);
		Path log = dir.resolve("stdout.txt");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.until(() -> tableExists(jdbc) && okTickers(jdbc) >= 4);
			process.destroy();
			assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
		}
		finally {
			process.destroyForcibly();
		}
		assertThat(Files.readString(dir.resolve("app.log"))).contains("PoolGuard batch executor stopping")
			.contains("fetch-ward: stopped in");
		List<String> console = Files.readAllLines(log);
		assertThat(console).as("the drained run's summary, last").anySatisfy(
				(line) -> assertThat(line).startsWith("fetch-ward: run #1 stopped in ").contains("40 tickers"));
		assertThat(console.get(console.size() - 1)).isEqualTo("  log: " + dir.resolve("app.log"));
		Awaitility.await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(server.countConnectionsStartingWith("sigterm-test:")).isZero());
		int doneBefore = okTickers(jdbc);
		int notRun = jdbc.queryForObject("SELECT not_run FROM fetch_run WHERE id = 1", Integer.class);
		assertThat(jdbc.queryForObject("SELECT state FROM fetch_run WHERE id = 1", String.class)).isEqualTo("STOPPED");
		assertThat(doneBefore + notRun).isEqualTo(40);
		assertThat(notRun).isPositive();

		ByteArrayOutputStream out = new ByteArrayOutputStream();
		List<String> rerun = new ArrayList<>(settings);
		rerun.set(rerun.indexOf("--sample.sources.simulator-latency=150ms"), "--sample.sources.simulator-latency=0ms");
		int exit = SampleCli.run(rerun.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
				System.err);
		assertThat(exit).isEqualTo(SampleCli.OK);
		int rerunWithRows = jdbc.queryForObject(
				"SELECT count(*) FROM fetch_run_ticker WHERE run_id = 2 AND outcome = 'OK' AND rows > 0", Integer.class);
		assertThat(rerunWithRows).as("tickers the rerun had to fetch history for").isEqualTo(notRun);
		assertThat(jdbc.queryForObject("SELECT count(DISTINCT ticker) FROM daily_quote", Integer.class)).isEqualTo(40);
	}

	private static boolean tableExists(JdbcTemplate jdbc) {
		return Boolean.TRUE.equals(
				jdbc.queryForObject("SELECT to_regclass('fetch_run_ticker') IS NOT NULL", Boolean.class));
	}

	private static int okTickers(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT count(*) FROM fetch_run_ticker WHERE run_id = 1 AND outcome = 'OK'",
				Integer.class);
	}

	private static String javaBinary() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

}
