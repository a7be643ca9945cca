package io.github.poolguard.sample;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code fetch-ward} prints when its output is not a terminal (CI, a pipe), seen from
 * outside: the command runs in a child JVM with its stdout and stderr captured.
 */
class FetchWardConsoleTests {

	private static final PostgresServer server = TestPostgres.shared();

	@TempDir
	Path work;

	@Test
	void outputIsAFewProgressLinesThenTheSummaryAndTheLogGoesToTheFile() throws Exception {
		String url = server.createDatabase("console");
		Path log = this.work.resolve("fetch-ward.log");
		Path out = this.work.resolve("stdout.txt");
		Path err = this.work.resolve("stderr.txt");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), SampleApplication.class.getName(), "fetch-ward",
				"--spring.datasource.url=" + url, "--spring.datasource.username=" + server.username(),
				"--spring.datasource.password=" + server.password(), "--spring.application.name=console",
				"--sample.universe.size=40", "--sample.fetch.history-days=20", "--sample.sources.simulator-latency=5ms",
				"--logging.file.name=" + log));
		Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("fetch-ward finished").isTrue();
		List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
		String stderr = Files.readString(err);

		assertThat(process.exitValue()).as("exit code; stdout %s stderr %s", lines, stderr).isEqualTo(SampleCli.OK);
		assertThat(lines).hasSizeBetween(3, 14);
		assertThat(lines.get(0)).isEqualTo("fetch-ward: 40 tickers to fetch, 0 up to date (fetched today)");
		assertThat(lines.get(lines.size() - 2)).startsWith("fetch-ward: run #1 completed in ")
			.contains("40 tickers, ok=40 failed=0 not-run=0 up-to-date=0");
		assertThat(lines.get(lines.size() - 1)).isEqualTo("  log: " + log);
		assertThat(lines.subList(1, lines.size() - 2)).isNotEmpty()
			.allSatisfy((line) -> assertThat(line).matches("fetch-ward: \\d+/40 \\(\\d+%\\) .* ok=\\d+ failed=0"
					+ " \\| connections app \\d+/10, background \\d/3"));
		assertThat(String.join("\n", lines) + stderr).doesNotContain(" INFO ")
			.doesNotContain(" WARN ")
			.doesNotContain("Started SampleApplication")
			.doesNotContain("HikariPool")
			.doesNotContain("Flyway")
			.doesNotContain(":: Spring Boot ::")
			.doesNotContain("PoolGuard batch executor");
		assertThat(stderr).isBlank();
		assertThat(Files.readString(log)).contains("fetch-ward: completed in")
			.contains("PoolGuard batch executor stopped")
			.contains("Started SampleApplication");
	}

}
