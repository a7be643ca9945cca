package io.github.poolguard.internal.budget;

import org.jspecify.annotations.Nullable;

/**
 * One connection pool counted in the {@link ConnectionBudget}.
 *
 * @param name how the arithmetic names it: {@code app} or {@code background} for the pools
 * PoolGuard governs, the bean name for any other
 * @param max its maximum size, or {@code null} when it cannot be told (then counted as 0)
 * @param governed whether PoolGuard governs it; other pools are a module's or the
 * application's own, sized wherever they are defined
 */
public record BudgetedPool(String name, @Nullable Integer max, boolean governed) {

	/**
	 * Return a pool PoolGuard governs.
	 * @param name {@code app} or {@code background}
	 * @param max its maximum size
	 * @return the pool
	 */
	public static BudgetedPool governed(String name, int max) {
		return new BudgetedPool(name, max, true);
	}

	/**
	 * Return a pool PoolGuard found besides its own.
	 * @param beanName the pool's bean name
	 * @param max its maximum size, or {@code null} when it cannot be told
	 * @return the pool
	 */
	public static BudgetedPool other(String beanName, @Nullable Integer max) {
		return new BudgetedPool(beanName, max, false);
	}

	/**
	 * Return the connections it may open.
	 * @return its maximum size, 0 when unknown
	 */
	public int connections() {
		return (this.max != null) ? this.max : 0;
	}

	@Override
	public String toString() {
		return this.name + " " + ((this.max != null) ? this.max : "(size unknown)");
	}

}
