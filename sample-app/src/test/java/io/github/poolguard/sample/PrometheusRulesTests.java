package io.github.poolguard.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped alert rules are valid Prometheus rules (checked with {@code promtool} where it is
 * installed: the Debian package {@code prometheus} provides it).
 */
class PrometheusRulesTests {

	private static final Path RULES = Path.of("../monitoring/poolguard-alerts.yml");

	@Test
	void alertRulesPassPromtool() throws Exception {
		assertThat(RULES).exists();
		Assumptions.assumeTrue(onPath("promtool"),
				"promtool is not installed (apt-get install prometheus); the rules were not checked");
		Process check = new ProcessBuilder("promtool", "check", "rules", RULES.toString()).redirectErrorStream(true)
			.start();
		assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(check.getInputStream().readAllBytes());
		assertThat(check.exitValue()).as(output).isZero();
		assertThat(output).contains("SUCCESS: 4 rules found");
	}

	private static boolean onPath(String command) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return false;
	}

}
