package io.github.poolguard.docs;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration reference (docs/configuration.md) says what the configuration metadata says:
 * every {@code poolguard.*} key, no key that no longer exists, and each key's default as the
 * metadata has it. The metadata is what the build generated from {@code PoolGuardProperties}
 * (merged with the hand-written additional metadata), read from the class path.
 * <p>
 * The page's format: one table row per key, {@code | `key` | default | description |}. The
 * default is in backticks exactly as the metadata has it (numbers compared as numbers, so
 * {@code 0.80} is {@code 0.8}), or plain words without backticks where the metadata has none.
 */
class ConfigurationReferenceTests {

	static final Path PAGE = Path.of("../docs/configuration.md");

	private static final Pattern ROW = Pattern.compile("^\\|\\s*`(poolguard\\.[^`]+)`\\s*\\|([^|]*)\\|(.*)\\|\\s*$");

	private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");

	@Test
	void everyKeyOfTheMetadataIsOnThePageAndNothingElse() throws IOException {
		Map<String, Object> metadata = metadata();
		Map<String, String> page = pageDefaults();
		assertThat(metadata).as("poolguard.* keys in the configuration metadata").isNotEmpty();
		assertThat(missing(metadata.keySet(), page.keySet()))
			.as("keys in the configuration metadata that %s does not list", PAGE)
			.isEmpty();
		assertThat(missing(page.keySet(), metadata.keySet()))
			.as("keys %s lists that the configuration metadata does not have (renamed or removed?)", PAGE)
			.isEmpty();
	}

	@Test
	void everyDefaultOnThePageIsTheMetadatasDefault() throws IOException {
		Map<String, Object> metadata = metadata();
		Map<String, String> page = pageDefaults();
		List<String> wrong = new ArrayList<>();
		page.forEach((key, cell) -> {
			if (!metadata.containsKey(key)) {
				return;
			}
			Object expected = metadata.get(key);
			Matcher literal = LITERAL.matcher(cell);
			boolean isLiteral = literal.matches();
			if (expected == null) {
				if (cell.startsWith("`")) {
					wrong.add(key + ": the page gives the default " + cell
							+ " but the metadata has none (say it in plain words, or give the property a default)");
				}
			}
			else if (!isLiteral) {
				wrong.add(key + ": the page says '" + cell + "', the metadata's default is `" + expected + "`");
			}
			else if (!sameValue(literal.group(1), expected)) {
				wrong.add(key + ": the page says " + cell + ", the metadata's default is `" + expected + "`");
			}
		});
		assertThat(wrong).as("defaults in %s that differ from the configuration metadata", PAGE).isEmpty();
	}

	@Test
	void everyKeyIsListedOnce() throws IOException {
		List<String> keys = new ArrayList<>();
		for (String line : Files.readAllLines(PAGE, StandardCharsets.UTF_8)) {
			Matcher row = ROW.matcher(line);
			if (row.matches()) {
				keys.add(row.group(1));
			}
		}
		assertThat(keys).as("keys %s lists more than once", PAGE).doesNotHaveDuplicates();
	}

	private static boolean sameValue(String onPage, Object expected) {
		if (expected instanceof Number) {
			try {
				return new BigDecimal(onPage).compareTo(new BigDecimal(expected.toString())) == 0;
			}
			catch (NumberFormatException ex) {
				return false;
			}
		}
		return onPage.equals(String.valueOf(expected));
	}

	private static Set<String> missing(Set<String> from, Set<String> in) {
		Set<String> missing = new TreeSet<>(from);
		missing.removeAll(in);
		return missing;
	}

	/**
	 * Return the page's keys and their default cells, trimmed.
	 */
	static Map<String, String> pageDefaults() throws IOException {
		Map<String, String> defaults = new LinkedHashMap<>();
		for (String line : Files.readAllLines(PAGE, StandardCharsets.UTF_8)) {
			Matcher row = ROW.matcher(line);
			if (row.matches()) {
				defaults.putIfAbsent(row.group(1), row.group(2).trim());
			}
		}
		return defaults;
	}

	/**
	 * Return every {@code poolguard.*} key of the configuration metadata on the class path with
	 * its default value, {@code null} where it has none.
	 */
	static Map<String, Object> metadata() throws IOException {
		Map<String, Object> keys = new LinkedHashMap<>();
		for (URL resource : Collections.list(ConfigurationReferenceTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = resource.openStream()) {
				List<Map<String, Object>> properties = JsonPath.read(new String(in.readAllBytes(), StandardCharsets.UTF_8),
						"$.properties[*]");
				for (Map<String, Object> property : properties) {
					String name = (String) property.get("name");
					if (name.startsWith("poolguard.")) {
						keys.put(name, property.get("defaultValue"));
					}
				}
			}
		}
		return keys;
	}

}
