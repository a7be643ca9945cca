package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.fleet.NoShareException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start that needed the database while the fleet had no room for this instance, and
 * the server could not even lend it the connection its startup work runs on.
 */
class NoShareFailureAnalyzer extends AbstractFailureAnalyzer<NoShareException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, NoShareException cause) {
		String arithmetic = cause.getArithmetic();
		return new FailureAnalysis("This instance's startup needed a database connection, but the fleet sharing the"
				+ " server has no room for it" + (arithmetic.isEmpty() ? "" : ": " + arithmetic) + ".",
				"Make room on the server for one more instance: raise the server's max_connections, run fewer"
						+ " instances of the application, or lower poolguard.fleet.min-app-pool or the pools' sizes"
						+ " (spring.datasource.hikari.maximum-pool-size, poolguard.background.hikari.maximum-pool-size).",
				cause);
	}

}
