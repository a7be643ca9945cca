package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.pool.MisplacedUrlSettingsException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link MisplacedUrlSettingsException}, showing the URL only with credentials
 * masked (Spring Boot's analyzer for invalid property values would print the raw value).
 */
class MisplacedUrlSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MisplacedUrlSettingsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MisplacedUrlSettingsException cause) {
		String description = "The URL in " + cause.getProperty() + " cannot be used as it is:\n\n    "
				+ cause.getRedactedUrl() + "\n\n    - " + String.join("\n    - ", cause.getProblems());
		String action = "Correct " + cause.getProperty() + ": percent-encode any '%', '/', '?' or '@' in the user"
				+ " name and password, give each host a port from 1 to 65535,"
				+ " keep only driver parameters in the URL, joined with '&'"
				+ " (a postgres:// URL may also carry connection_limit, pool_timeout and pgbouncer, which PoolGuard"
				+ " maps)."
				+ " Put pool settings in spring.datasource.hikari.* (app pool) or poolguard.background.hikari.*"
				+ " (background pool), and driver options in their data-source-properties.";
		return new FailureAnalysis(description, action, cause);
	}

}
