package io.github.poolguard.internal.fleet;

import java.sql.SQLTransientConnectionException;

/**
 * A connection refused because this instance has no share of the server's connections: the
 * fleet has no room for its floor. Carries the arithmetic.
 */
public class NoShareException extends SQLTransientConnectionException {

	private final String arithmetic;

	/**
	 * Create the exception.
	 * @param arithmetic how the share was worked out, or an empty string when unknown
	 */
	public NoShareException(String arithmetic) {
		super("PoolGuard: this instance has no share of the server's connections and is out of service until there is"
				+ " room" + (arithmetic.isEmpty() ? "" : ": " + arithmetic) + ". See poolguard.fleet.min-app-pool.",
				"08004");
		this.arithmetic = arithmetic;
	}

	/**
	 * Return how the share was worked out.
	 * @return the arithmetic, or an empty string when unknown
	 */
	public String getArithmetic() {
		return this.arithmetic;
	}

}
