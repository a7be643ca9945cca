package io.github.poolguard.budget;

/**
 * The connection arithmetic of one application against one server: what the server lets
 * ordinary roles open, and what the application's pools may ask for across all its instances.
 *
 * @param maxConnections the server's {@code max_connections}
 * @param superuserReserved {@code superuser_reserved_connections}
 * @param serverReserved {@code reserved_connections} (PostgreSQL 16 and later)
 * @param keptFree connections left for operators and other clients
 * ({@code poolguard.budget.reserved-connections})
 * @param appMax the app pool's maximum size
 * @param backgroundMax the background pool's maximum size
 * @param monitor connections the server monitor holds
 * @param instances how many instances of the application share the server
 */
public record ConnectionBudget(int maxConnections, int superuserReserved, int serverReserved, int keptFree,
		int appMax, int backgroundMax, int monitor, int instances) {

	/**
	 * Return the connections this application may use: {@code max_connections} less what the
	 * server reserves and what is kept free.
	 * @return the usable connections
	 */
	public int usable() {
		return this.maxConnections - this.superuserReserved - this.serverReserved - this.keptFree;
	}

	/**
	 * Return what one instance may open at most.
	 * @return the per-instance demand
	 */
	public int perInstance() {
		return this.appMax + this.backgroundMax + this.monitor;
	}

	/**
	 * Return what all instances may open at most.
	 * @return the total demand
	 */
	public int demand() {
		return perInstance() * this.instances;
	}

	/**
	 * Return whether the pools may ask for more than the server lets them have.
	 * @return {@code true} when overcommitted
	 */
	public boolean isOvercommitted() {
		return demand() > usable();
	}

	/**
	 * Return the arithmetic in one line, for instance "app 10 + background 3 + monitor 1 = 14
	 * per instance × 2 instances = 28 > 14 usable = max_connections 20 − 3 superuser-reserved −
	 * 3 kept free".
	 * @return the explanation
	 */
	public String explain() {
		StringBuilder text = new StringBuilder();
		text.append("app ").append(this.appMax).append(" + background ").append(this.backgroundMax);
		text.append(" + monitor ").append(this.monitor).append(" = ").append(perInstance()).append(" per instance");
		if (this.instances != 1) {
			text.append(" × ").append(this.instances).append(" instances = ").append(demand());
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
	public ConnectionBudget withInstances(int instances) {
		return new ConnectionBudget(this.maxConnections, this.superuserReserved, this.serverReserved, this.keptFree,
				this.appMax, this.backgroundMax, this.monitor, instances);
	}

}
