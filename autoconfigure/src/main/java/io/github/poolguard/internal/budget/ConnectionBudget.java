package io.github.poolguard.internal.budget;

import java.util.ArrayList;
import java.util.List;

/**
 * The connection arithmetic of one application against one server: what the server lets
 * ordinary roles open, and what every connection pool of the application may ask for across all
 * its instances.
 *
 * @param maxConnections the server's {@code max_connections}
 * @param superuserReserved {@code superuser_reserved_connections}
 * @param serverReserved {@code reserved_connections} (PostgreSQL 16 and later)
 * @param keptFree connections left for operators and other clients
 * @param pools every connection pool of one instance: the ones PoolGuard governs first, then
 * any other found in the application
 * @param monitor connections the server monitor holds
 * @param instances how many instances of the application share the server
 */
public record ConnectionBudget(int maxConnections, int superuserReserved, int serverReserved, int keptFree,
		List<BudgetedPool> pools, int monitor, int instances) implements ServerBudget {

	/**
	 * Create a budget, keeping an unmodifiable copy of the pools.
	 */
	public ConnectionBudget {
		pools = List.copyOf(pools);
	}

	/**
	 * Create a budget for an app pool and a background pool and nothing else.
	 * @param maxConnections the server's {@code max_connections}
	 * @param superuserReserved {@code superuser_reserved_connections}
	 * @param serverReserved {@code reserved_connections}
	 * @param keptFree connections left for operators and other clients
	 * @param appMax the app pool's maximum size
	 * @param backgroundMax the background pool's maximum size
	 * @param monitor connections the server monitor holds
	 * @param instances how many instances share the server
	 */
	public ConnectionBudget(int maxConnections, int superuserReserved, int serverReserved, int keptFree, int appMax,
			int backgroundMax, int monitor, int instances) {
		this(maxConnections, superuserReserved, serverReserved, keptFree,
				List.of(BudgetedPool.governed("app", appMax), BudgetedPool.governed("background", backgroundMax)),
				monitor, instances);
	}

	/**
	 * Return the same budget with more pools counted, such as the ones found in the
	 * application besides PoolGuard's.
	 * @param others the pools to add
	 * @return the budget with them
	 */
	public ConnectionBudget withOtherPools(List<BudgetedPool> others) {
		List<BudgetedPool> all = new ArrayList<>(this.pools);
		all.addAll(others);
		return new ConnectionBudget(this.maxConnections, this.superuserReserved, this.serverReserved, this.keptFree,
				all, this.monitor, this.instances);
	}

	/**
	 * Return the connections the pools PoolGuard governs may open per instance: the clients of
	 * PgBouncer when the pools go through it.
	 * @return the governed pools' combined maximum size, at most {@code Integer.MAX_VALUE}
	 */
	public int governedMax() {
		return saturated(this.pools.stream().filter(BudgetedPool::governed).mapToLong(BudgetedPool::connections).sum());
	}

	/**
	 * Return the connections this application may use: {@code max_connections} less what the
	 * server reserves and what is kept free.
	 * @return the usable connections
	 */
	@Override
	public int usable() {
		return this.maxConnections - this.superuserReserved - this.serverReserved - this.keptFree;
	}

	/**
	 * Return what one instance may open at most.
	 * @return the per-instance demand, at most {@code Integer.MAX_VALUE}
	 */
	public int perInstance() {
		return saturated(exactPerInstance());
	}

	/**
	 * Return what all instances may open at most.
	 * @return the total demand, at most {@code Integer.MAX_VALUE}
	 */
	@Override
	public int demand() {
		return saturated(exactDemand());
	}

	/**
	 * Return what all instances may open at most, computed without wrapping around: pool sizes
	 * or instance counts near {@code Integer.MAX_VALUE} must not turn into a small number that
	 * passes the check.
	 * @return the total demand
	 */
	public long exactDemand() {
		try {
			return Math.multiplyExact(exactPerInstance(), (long) this.instances);
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private long exactPerInstance() {
		return this.pools.stream().mapToLong(BudgetedPool::connections).sum() + this.monitor;
	}

	private static int saturated(long value) {
		return (int) Math.min(value, Integer.MAX_VALUE);
	}

	/**
	 * Return whether the pools may ask for more than the server lets them have.
	 * @return {@code true} when overcommitted
	 */
	@Override
	public boolean isOvercommitted() {
		return exactDemand() > usable();
	}

	/**
	 * Return the arithmetic in one line, for instance "app 10 + background 3 + monitor 1 +
	 * moduleA 10 = 24 per instance × 2 instances = 48 > 14 usable = max_connections 20 − 3
	 * superuser-reserved − 3 kept free".
	 * @return the explanation
	 */
	@Override
	public String explain() {
		StringBuilder text = new StringBuilder();
		List<String> terms = new ArrayList<>();
		this.pools.stream().filter(BudgetedPool::governed).forEach((pool) -> terms.add(pool.toString()));
		terms.add("monitor " + this.monitor);
		this.pools.stream().filter((pool) -> !pool.governed()).forEach((pool) -> terms.add(pool.toString()));
		text.append(String.join(" + ", terms)).append(" = ").append(exactPerInstance()).append(" per instance");
		if (this.instances != 1) {
			text.append(" × ").append(this.instances).append(" instances = ").append(exactDemand());
		}
		text.append(isOvercommitted() ? " > " : " <= ").append(explainUsable());
		return text.toString();
	}

	/**
	 * Return how the usable connections are worked out, for instance "14 usable =
	 * max_connections 20 − 3 superuser-reserved − 3 kept free".
	 * @return the explanation
	 */
	public String explainUsable() {
		StringBuilder text = new StringBuilder();
		text.append(usable()).append(" usable = max_connections ");
		text.append(this.maxConnections).append(" − ").append(this.superuserReserved).append(" superuser-reserved");
		if (this.serverReserved > 0) {
			text.append(" − ").append(this.serverReserved).append(" reserved_connections");
		}
		text.append(" − ").append(this.keptFree).append(" kept free");
		return text.toString();
	}

	/**
	 * Return the same budget for another number of instances, such as the number the monitor
	 * sees on the server.
	 * @param instances the number of instances
	 * @return the budget for that many instances
	 */
	@Override
	public ConnectionBudget withInstances(int instances) {
		return new ConnectionBudget(this.maxConnections, this.superuserReserved, this.serverReserved, this.keptFree,
				this.pools, this.monitor, instances);
	}

}
