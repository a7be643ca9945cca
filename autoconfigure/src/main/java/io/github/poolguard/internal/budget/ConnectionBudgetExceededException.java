package io.github.poolguard.internal.budget;

/**
 * Thrown at startup when the pools may open more connections than the server allows.
 */
public class ConnectionBudgetExceededException extends RuntimeException {

	private final ConnectionBudget budget;

	/**
	 * Create an exception for the given budget.
	 * @param budget the overcommitted budget
	 */
	public ConnectionBudgetExceededException(ConnectionBudget budget) {
		super("Connection budget exceeded: " + budget.explain());
		this.budget = budget;
	}

	/**
	 * Return the budget that does not add up.
	 * @return the budget
	 */
	public ConnectionBudget getBudget() {
		return this.budget;
	}

}
