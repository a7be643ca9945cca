package io.github.poolguard.internal.budget;

/**
 * What a fleet of instances may open on the server against what the server lets them open,
 * whether the pools connect directly ({@link ConnectionBudget}) or through a transaction-pooling
 * PgBouncer ({@link PgBouncerBudget}). The fleet arithmetic is written once, against this type.
 */
public interface ServerBudget {

	/**
	 * Return the server connections the budgeted instances may open together.
	 * @return the demand
	 */
	int demand();

	/**
	 * Return the server connections the instances may use.
	 * @return the usable connections
	 */
	int usable();

	/**
	 * Return the number of instances this budget is for.
	 * @return the instances
	 */
	int instances();

	/**
	 * Return whether the instances may open more than the server lets them.
	 * @return {@code true} when overcommitted
	 */
	boolean isOvercommitted();

	/**
	 * Return the arithmetic in one line.
	 * @return the explanation
	 */
	String explain();

	/**
	 * Return the same budget for another number of instances.
	 * @param instances the number of instances
	 * @return the budget for that many instances
	 */
	ServerBudget withInstances(int instances);

}
