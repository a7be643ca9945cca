package io.github.poolguard.autoconfigure;

import java.util.Map;

import io.github.poolguard.internal.budget.BudgetedPool;
import io.github.poolguard.internal.budget.ConnectionBudget;
import io.github.poolguard.internal.budget.ConnectionBudgetExceededException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link ConnectionBudgetExceededException}: the arithmetic, and for each pool
 * counted in it, the property or bean that brings it back within budget.
 */
class ConnectionBudgetFailureAnalyzer extends AbstractFailureAnalyzer<ConnectionBudgetExceededException> {

	private static final Map<String, String> SIZE_PROPERTIES = Map.of(PoolGuardStartupCheck.APP,
			"spring.datasource.hikari.maximum-pool-size", PoolGuardStartupCheck.BACKGROUND,
			"poolguard.background.hikari.maximum-pool-size");

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConnectionBudgetExceededException cause) {
		ConnectionBudget budget = cause.getBudget();
		long excess = budget.exactDemand() - budget.usable();
		String description = "The connection pools may open more connections than the PostgreSQL server allows:\n\n    "
				+ budget.explain() + "\n\nUnder full load the server would refuse connections with \"sorry, too many"
				+ " clients already\" and the application would go offline.";
		StringBuilder action = new StringBuilder("Bring the demand down by at least ").append(excess)
			.append(" connection(s), or the budget up:\n");
		for (BudgetedPool pool : budget.pools()) {
			action.append("    - ").append(lower(pool)).append('\n');
		}
		action.append("    - correct poolguard.budget.instances (now ").append(budget.instances())
			.append(") if fewer instances share the server\n")
			.append("    - lower poolguard.budget.reserved-connections (now ").append(budget.keptFree()).append(")\n")
			.append("    - raise max_connections on the server (now ").append(budget.maxConnections())
			.append("), or put PgBouncer in front of it\n")
			.append("or set poolguard.budget.on-overcommit=warn to start anyway with a warning.");
		return new FailureAnalysis(description, action.toString(), cause);
	}

	private static String lower(BudgetedPool pool) {
		if (pool.governed()) {
			String property = SIZE_PROPERTIES.getOrDefault(pool.name(), "the " + pool.name() + " pool's maximum size");
			return "lower " + property + " (" + pool.name() + " pool, now " + pool.max() + ")";
		}
		return "remove the '" + pool.name() + "' pool (now " + ((pool.max() != null) ? pool.max() : "of unknown size")
				+ ", not governed by PoolGuard) and inject the application's DataSource instead (Workload.BACKGROUND"
				+ " for batch work), or lower its maximum pool size where the '" + pool.name() + "' bean is defined";
	}

}
