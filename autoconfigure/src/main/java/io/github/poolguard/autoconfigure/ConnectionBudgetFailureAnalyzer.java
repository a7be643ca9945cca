package io.github.poolguard.autoconfigure;

import io.github.poolguard.budget.ConnectionBudget;
import io.github.poolguard.budget.ConnectionBudgetExceededException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link ConnectionBudgetExceededException}: the arithmetic, and each property that
 * brings it back within budget.
 */
class ConnectionBudgetFailureAnalyzer extends AbstractFailureAnalyzer<ConnectionBudgetExceededException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConnectionBudgetExceededException cause) {
		ConnectionBudget budget = cause.getBudget();
		int excess = budget.demand() - budget.usable();
		String description = "The connection pools may open more connections than the PostgreSQL server allows:\n\n    "
				+ budget.explain() + "\n\nUnder full load the server would refuse connections with \"sorry, too many"
				+ " clients already\" and the application would go offline.";
		String action = "Bring the demand down by at least " + excess + " connection(s), or the budget up:\n"
				+ "    - lower spring.datasource.hikari.maximum-pool-size (app pool, now " + budget.appMax() + ")\n"
				+ "    - lower poolguard.background.hikari.maximum-pool-size (background pool, now "
				+ budget.backgroundMax() + ")\n"
				+ "    - correct poolguard.budget.instances (now " + budget.instances() + ") if fewer instances share"
				+ " the server\n"
				+ "    - lower poolguard.budget.reserved-connections (now " + budget.keptFree() + ")\n"
				+ "    - raise max_connections on the server (now " + budget.maxConnections() + "), or put PgBouncer"
				+ " in front of it\n"
				+ "or set poolguard.budget.on-overcommit=warn to start anyway with a warning.";
		return new FailureAnalysis(description, action, cause);
	}

}
