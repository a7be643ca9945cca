package io.github.poolguard.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide can be found: its index links every page, and the README (the front page) links the
 * pages a newcomer looks for first, one click away, and stays a front page.
 */
class DocsIndexTests {

	private static final Path DOCS = Path.of("../docs");

	private static final Path README = Path.of("../README.md");

	@Test
	void theIndexLinksEveryPage() throws IOException {
		String index = Files.readString(DOCS.resolve("index.md"), StandardCharsets.UTF_8);
		List<String> pages;
		try (Stream<Path> files = Files.list(DOCS)) {
			pages = files.map((path) -> path.getFileName().toString())
				.filter((name) -> name.endsWith(".md") && !name.equals("index.md"))
				.sorted()
				.toList();
		}
		assertThat(pages).isNotEmpty();
		for (String page : pages) {
			assertThat(index).as("docs/index.md links %s", page).contains("](" + page);
		}
	}

	@Test
	void theReadmeIsAFrontPageOneClickFromTheReferencePages() throws IOException {
		List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
		assertThat(lines).as("README.md lines").hasSizeLessThanOrEqualTo(250);
		String readme = String.join("\n", lines);
		assertThat(readme).contains("](docs/index.md", "](docs/public-api.md", "](docs/configuration.md",
				"](docs/fleet-and-pgbouncer.md");
	}

}
