package io.github.poolguard.internal.budget;

import org.jspecify.annotations.Nullable;

/**
 * The server's connection arithmetic when the pools go through PgBouncer in transaction mode.
 * The pools then no longer decide how many server connections exist: PgBouncer opens at most
 * its pool size for the application's database and user, however many client connections the
 * instances hold. What reaches the server directly is each instance's monitor connection.
 *
 * @param server the direct budget: the server's usable connections, the monitor connections
 * per instance and the number of instances
 * @param poolSize the server connections PgBouncer may open, or {@code null} when unknown
 */
public record PgBouncerBudget(ConnectionBudget server, @Nullable Integer poolSize) implements ServerBudget {

	/**
	 * Return the server's usable connections: what PgBouncer and the monitors share.
	 * @return the usable connections
	 */
	@Override
	public int usable() {
		return this.server.usable();
	}

	@Override
	public int instances() {
		return this.server.instances();
	}

	/**
	 * Return the server connections the fleet may open: PgBouncer's pool plus every instance's
	 * direct monitor connection.
	 * @return the demand on the server
	 */
	@Override
	public int demand() {
		long demand = ((this.poolSize != null) ? this.poolSize : 0) + (long) this.server.monitor() * this.server.instances();
		return (int) Math.min(demand, Integer.MAX_VALUE);
	}

	/**
	 * Return whether PgBouncer and the monitors may open more than the server lets them.
	 * @return {@code true} when overcommitted; never when the pool size is unknown
	 */
	@Override
	public boolean isOvercommitted() {
		return this.poolSize != null && demand() > this.server.usable();
	}

	/**
	 * Return the same budget for another number of instances.
	 * @param instances the number of instances
	 * @return the budget for that many instances
	 */
	@Override
	public PgBouncerBudget withInstances(int instances) {
		return new PgBouncerBudget(this.server.withInstances(instances), this.poolSize);
	}

	/**
	 * Return the arithmetic in one line, for instance "PgBouncer pool_size 10 + monitor 1 × 4
	 * instances = 14 &lt;= 14 usable = max_connections 20 − 3 superuser-reserved − 3 kept free;
	 * clients: app 10 + background 3 per instance × 4 instances = 52 connections to PgBouncer".
	 * @return the explanation
	 */
	@Override
	public String explain() {
		StringBuilder text = new StringBuilder("PgBouncer pool_size ");
		text.append((this.poolSize != null) ? this.poolSize : "unknown");
		text.append(" + monitor ").append(this.server.monitor()).append(" × ").append(this.server.instances());
		text.append((this.server.instances() == 1) ? " instance = " : " instances = ").append(demand());
		text.append(isOvercommitted() ? " > " : " <= ").append(this.server.explainUsable());
		long clients = (long) this.server.governedMax() * this.server.instances();
		text.append("; clients: ");
		text.append(String.join(" + ", this.server.pools().stream().filter(BudgetedPool::governed)
			.map(BudgetedPool::toString).toList()));
		text.append(" per instance × ").append(this.server.instances());
		text.append((this.server.instances() == 1) ? " instance = " : " instances = ").append(clients);
		text.append(" connections to PgBouncer");
		return text.toString();
	}

}
