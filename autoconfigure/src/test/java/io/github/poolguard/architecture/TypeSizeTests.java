package io.github.poolguard.architecture;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Types split so that each has one job stay short enough to read in one sitting: a source file
 * past 300 lines is the sign that a job has moved back in (issue 31). Counts the lines of the
 * module's own sources, found from the compiled tests ({@code target/test-classes}).
 */
class TypeSizeTests {

	private static final int MAX_LINES = 300;

	@ParameterizedTest
	@ValueSource(strings = { "internal/monitor/ServerMonitor.java", "internal/leak/ConnectionHolders.java" })
	void splitTypesStayUnder300Lines(String file) throws Exception {
		Path testClasses = Path.of(TypeSizeTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path source = testClasses.resolve("../../src/main/java/io/github/poolguard").resolve(file).normalize();
		assertThat(source).as("the source of a type split for one job per type").isRegularFile();
		assertThat(Files.readAllLines(source).size()).as("lines of %s", file).isLessThan(MAX_LINES);
	}

}
