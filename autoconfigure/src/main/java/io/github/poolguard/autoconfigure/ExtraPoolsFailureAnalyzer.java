package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.guard.ExtraPoolsException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link ExtraPoolsException}.
 */
class ExtraPoolsFailureAnalyzer extends AbstractFailureAnalyzer<ExtraPoolsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ExtraPoolsException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Remove the extra DataSource bean(s) and inject the application's one DataSource, or set"
						+ " poolguard.guard.extra-pools=warn to start with a warning instead.",
				cause);
	}

}
