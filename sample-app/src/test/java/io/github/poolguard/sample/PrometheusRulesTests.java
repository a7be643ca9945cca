package io.github.poolguard.sample;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped alert rules are valid and pass their unit tests ({@code poolguard-alerts.test.yml}:
 * each rule fires at its threshold and not below, with only the labels a quick-start setup has).
 * {@code promtool} comes with Debian's {@code prometheus} package; without it the tests are
 * skipped, except in CI ({@code CI=true}), which installs it.
 */
class PrometheusRulesTests {

	private static final Path MONITORING = Path.of("../monitoring");

	@BeforeAll
	static void promtoolIsInstalled() {
		if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
			Assumptions.assumeTrue(onPath("promtool"),
					"promtool is not installed (apt-get install prometheus); the alert rules were not checked");
		}
	}

	@Test
	void alertRulesAreValid() throws Exception {
		assertThat(promtool("check", "rules", "poolguard-alerts.yml")).contains("SUCCESS: 4 rules found");
	}

	@Test
	void alertRulesFireAtTheirThresholdsAndNotBelow() throws Exception {
		assertThat(promtool("test", "rules", "poolguard-alerts.test.yml")).contains("SUCCESS");
	}

	private static String promtool(String... arguments) throws Exception {
		String[] command = new String[arguments.length + 1];
		command[0] = "promtool";
		System.arraycopy(arguments, 0, command, 1, arguments.length);
		Process process = new ProcessBuilder(command).directory(MONITORING.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

	private static boolean onPath(String command) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return false;
	}

}
