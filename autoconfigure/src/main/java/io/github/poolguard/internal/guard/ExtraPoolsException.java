package io.github.poolguard.internal.guard;

import java.util.List;

/**
 * Thrown at startup when the context holds connection pools besides PoolGuard's own and
 * {@code poolguard.guard.extra-pools} is {@code fail}.
 */
public class ExtraPoolsException extends RuntimeException {

	private final List<ExtraPool> pools;

	/**
	 * Create an exception naming the extra pools.
	 * @param message the description
	 * @param pools the extra pools
	 */
	public ExtraPoolsException(String message, List<ExtraPool> pools) {
		super(message);
		this.pools = List.copyOf(pools);
	}

	/**
	 * Return the extra pools.
	 * @return the pools
	 */
	public List<ExtraPool> getPools() {
		return this.pools;
	}

}
