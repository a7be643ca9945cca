package io.github.poolguard.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link BackgroundLoginRefusedException}: which property to correct, without
 * repeating any credential.
 */
class BackgroundLoginFailureAnalyzer extends AbstractFailureAnalyzer<BackgroundLoginRefusedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BackgroundLoginRefusedException cause) {
		if (cause.getProperty().equals("poolguard.background.url")) {
			return new FailureAnalysis(cause.getMessage() + ".", "Correct poolguard.background.url (by default the"
					+ " background pool uses spring.datasource.url) so that it names a PostgreSQL server that is"
					+ " running and reachable from here; a server slower to log in may need a longer"
					+ " poolguard.background.hikari.data-source-properties.loginTimeout (seconds).", cause);
		}
		return new FailureAnalysis(cause.getMessage() + ".", "Correct " + cause.getProperty() + " (by default the"
				+ " background pool logs in as spring.datasource.username with spring.datasource.password), or the"
				+ " credentials written into poolguard.background.url.", cause);
	}

}
