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
		return new FailureAnalysis(cause.getMessage() + ".", "Correct " + cause.getProperty() + " (by default the"
				+ " background pool logs in as spring.datasource.username with spring.datasource.password), or the"
				+ " credentials written into poolguard.background.url.", cause);
	}

}
