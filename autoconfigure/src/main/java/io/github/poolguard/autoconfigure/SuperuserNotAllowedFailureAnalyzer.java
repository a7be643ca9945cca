package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.budget.SuperuserNotAllowedException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link SuperuserNotAllowedException}.
 */
class SuperuserNotAllowedFailureAnalyzer extends AbstractFailureAnalyzer<SuperuserNotAllowedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SuperuserNotAllowedException cause) {
		return new FailureAnalysis(cause.getMessage()
				+ ", and poolguard.security.allow-superuser is false. A superuser bypasses permissions and may take the"
				+ " connections the server reserves for administrators.",
				"Set spring.datasource.username to a login role with only the privileges the application needs, or set"
						+ " poolguard.security.allow-superuser=true.",
				cause);
	}

}
