package io.github.poolguard.internal.pool;

import java.util.List;

/**
 * Thrown at startup when a JDBC URL carries settings that do not belong there (see
 * {@link JdbcUrls#findMisplacedSettings(String)}). It holds the URL with credentials masked
 * only, so no failure report can show a password written into the URL.
 */
public class MisplacedUrlSettingsException extends RuntimeException {

	private final String property;

	private final String redactedUrl;

	private final List<String> problems;

	/**
	 * Create an exception.
	 * @param property the property that holds the URL
	 * @param url the URL as configured; only its redacted form is kept
	 * @param problems one sentence per problem
	 */
	public MisplacedUrlSettingsException(String property, String url, List<String> problems) {
		super("The URL in " + property + " (" + JdbcUrls.redact(url) + ") carries settings that do not belong there: "
				+ String.join("; ", problems));
		this.property = property;
		this.redactedUrl = JdbcUrls.redact(url);
		this.problems = List.copyOf(problems);
	}

	/**
	 * Return the property that holds the URL.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the URL with credentials masked.
	 * @return the URL, safe to show
	 */
	public String getRedactedUrl() {
		return this.redactedUrl;
	}

	/**
	 * Return the problems found.
	 * @return one sentence per problem
	 */
	public List<String> getProblems() {
		return this.problems;
	}

}
