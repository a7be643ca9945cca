package io.github.poolguard.docs;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Every snippet in docs/ and in the README works as printed, so a renamed key or a changed signature breaks the
 * build instead of a reader's application.
 * <ul>
 * <li>Every {@code ```yaml} block is loaded the way Spring Boot loads {@code application.yml}
 * and bound: {@code poolguard.*} onto {@link PoolGuardProperties},
 * {@code poolguard.background.hikari.*} and {@code spring.datasource.hikari.*} onto a
 * {@link HikariDataSource} (as the wiring binds them), each failing on a key nothing binds.
 * Other {@code spring.*} and {@code management.*} keys are Boot's and are only parsed.</li>
 * <li>Every {@code ```java} block is compiled against the module's test class path, each in a
 * package of its own, so a block must be a whole compilation unit: its imports and its types,
 * no {@code package} line. A block that cannot be compiled here says so in the line right
 * before it, {@code <!-- not compiled: why -->}, with the reason; the one such block today is
 * the Testcontainers test of testing-your-app.md, which needs {@code spring-boot-testcontainers}
 * and is compiled and run as the sample app's {@code ServiceConnectionTests}.</li>
 * </ul>
 */
class DocsSnippetTests {

	static final Path DOCS = Path.of("../docs");

	static final Path README = Path.of("../README.md");

	private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\w*)\\s*$");

	private static final Pattern NOT_COMPILED = Pattern.compile("^\\s*<!-- not compiled: (.+\\S)\\s*-->\\s*$");

	private static final ConfigurationPropertyName HIKARI = ConfigurationPropertyName.of("poolguard.background.hikari");

	@Test
	void everyYamlSnippetBindsWithoutAnUnknownPoolGuardKey() throws IOException {
		List<Snippet> snippets = snippets("yaml");
		assertThat(snippets).as("yaml snippets in %s", DOCS).isNotEmpty();
		for (Snippet snippet : snippets) {
			assertThatNoException().as("%s binds", snippet).isThrownBy(() -> bind(snippet));
		}
	}

	@Test
	void aMisspelledKeyFailsTheBinding() {
		Snippet misspelled = new Snippet(Path.of("example.md"), 1, "yaml",
				"poolguard:\n  batch:\n    max-concurency: 2\n", null);
		assertThatException().isThrownBy(() -> bind(misspelled));
		Snippet misspelledHikari = new Snippet(Path.of("example.md"), 1, "yaml",
				"poolguard:\n  background:\n    hikari:\n      maximum-pool: 2\n", null);
		assertThatException().isThrownBy(() -> bind(misspelledHikari));
	}

	@Test
	void everyJavaSnippetCompiles(@TempDir Path classes) throws IOException {
		List<Snippet> snippets = snippets("java");
		List<Snippet> compiled = snippets.stream().filter((snippet) -> snippet.notCompiled() == null).toList();
		assertThat(compiled).as("compiled java snippets in %s", DOCS).isNotEmpty();
		List<JavaFileObject> sources = new ArrayList<>();
		for (int i = 0; i < compiled.size(); i++) {
			sources.add(new SnippetSource(compiled.get(i), "docs.snippet" + i));
		}
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
				StandardCharsets.UTF_8)) {
			List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
					classes.toString(), "-proc:none", "-parameters", "-Xlint:none", "--release", "17");
			compiler.getTask(null, files, diagnostics, options, null, sources).call();
		}
		List<String> errors = new ArrayList<>();
		for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
			if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
				Snippet snippet = ((SnippetSource) diagnostic.getSource()).snippet;
				long line = snippet.line() + diagnostic.getLineNumber() - 1;
				errors.add(snippet.file() + ":" + line + ": " + diagnostic.getMessage(Locale.ROOT));
			}
		}
		assertThat(errors).as("compilation errors in the java snippets of %s", DOCS).isEmpty();
	}

	private static void bind(Snippet snippet) throws IOException {
		List<PropertySource<?>> loaded = new YamlPropertySourceLoader().load(snippet.toString(),
				new ByteArrayResource(snippet.text().getBytes(StandardCharsets.UTF_8)));
		assertThat(loaded).as("%s holds properties", snippet).isNotEmpty();
		PropertySourcesPlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(loaded);
		List<ConfigurationPropertySource> all = new ArrayList<>();
		ConfigurationPropertySources.from(loaded).forEach(all::add);
		Binder binder = new Binder(all, placeholders);
		// the background pool's HikariCP settings bind onto the pool, not onto the properties
		List<ConfigurationPropertySource> withoutHikari = all.stream()
			.map((source) -> (ConfigurationPropertySource) ((IterableConfigurationPropertySource) source)
				.filter((name) -> !HIKARI.isAncestorOf(name)))
			.toList();
		new Binder(withoutHikari, placeholders).bind("poolguard", Bindable.of(PoolGuardProperties.class), strict());
		try (HikariDataSource background = new HikariDataSource(); HikariDataSource app = new HikariDataSource()) {
			binder.bind(HIKARI, Bindable.ofInstance(background), strict());
			binder.bind("spring.datasource.hikari", Bindable.ofInstance(app), strict());
		}
	}

	private static BindHandler strict() {
		return new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
	}

	static List<Snippet> snippets(String language) throws IOException {
		List<Snippet> snippets = new ArrayList<>();
		try (Stream<Path> pages = Files.list(DOCS)) {
			for (Path page : pages.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
				snippets.addAll(snippets(page, language));
			}
		}
		snippets.addAll(snippets(README, language));
		return snippets;
	}

	private static List<Snippet> snippets(Path page, String language) throws IOException {
		List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
		List<Snippet> snippets = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher open = FENCE.matcher(lines.get(i));
			if (!open.matches()) {
				continue;
			}
			String indent = open.group(1);
			int start = i + 1;
			StringBuilder text = new StringBuilder();
			for (i = start; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
				String line = lines.get(i);
				text.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
			}
			if (open.group(2).equals(language)) {
				Matcher marker = (start >= 2) ? NOT_COMPILED.matcher(lines.get(start - 2)) : null;
				String notCompiled = (marker != null && marker.matches()) ? marker.group(1) : null;
				snippets.add(new Snippet(page, start + 1, language, text.toString(), notCompiled));
			}
		}
		return snippets;
	}

	/**
	 * A fenced block of a page.
	 * @param file the page
	 * @param line the line of the page its text starts on
	 * @param language its info string
	 * @param text its text, without the fences and the indentation of the opening fence
	 * @param notCompiled why a java block is not compiled, or {@code null}
	 */
	record Snippet(Path file, int line, String language, String text, String notCompiled) {

		@Override
		public String toString() {
			return "the " + this.language + " block at " + this.file + ":" + this.line;
		}

	}

	private static final class SnippetSource extends SimpleJavaFileObject {

		private static final Pattern PUBLIC_TYPE = Pattern
			.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)");

		private final Snippet snippet;

		private final String content;

		SnippetSource(Snippet snippet, String packageName) {
			super(uri(snippet, packageName), Kind.SOURCE);
			this.snippet = snippet;
			// on the snippet's first line, so that the compiler's line numbers are the page's
			this.content = "package " + packageName + "; " + snippet.text();
		}

		private static URI uri(Snippet snippet, String packageName) {
			Matcher type = PUBLIC_TYPE.matcher(snippet.text());
			String name = type.find() ? type.group(1) : "Snippet";
			return URI.create("string:///" + packageName.replace('.', '/') + "/" + name + Kind.SOURCE.extension);
		}

		@Override
		public CharSequence getCharContent(boolean ignoreEncodingErrors) {
			return this.content;
		}

	}

}
