package io.github.poolguard.internal.fleet;

/**
 * What one instance of the application asks of the server. Every instance of one application
 * runs the same configuration, so every instance can work out every other's demand from its own.
 *
 * @param appMax the app pool's configured maximum size
 * @param appFloor the smallest app pool an instance serves with
 * @param backgroundMax the background pool's configured maximum size
 * @param backgroundFloor the smallest background pool an instance serves with: 1 (HikariCP needs
 * at least one connection), 2 where Spring Batch steps run (a cursor reader holds one connection
 * for the whole step while each chunk's transaction needs another)
 * @param fixed connections an instance holds whatever its share: its monitor and any pool
 * PoolGuard does not size
 */
public record InstanceDemand(int appMax, int appFloor, int backgroundMax, int backgroundFloor, int fixed) {

	/**
	 * Check the values.
	 */
	public InstanceDemand {
		if (appMax < 1 || backgroundMax < 1 || fixed < 0) {
			throw new IllegalArgumentException("appMax and backgroundMax must be at least 1, fixed at least 0");
		}
		appFloor = Math.max(1, Math.min(appFloor, appMax));
		backgroundFloor = Math.max(1, Math.min(backgroundFloor, backgroundMax));
	}

	/**
	 * Create a demand whose background pool serves with one connection.
	 * @param appMax the app pool's configured maximum size
	 * @param appFloor the smallest app pool an instance serves with
	 * @param backgroundMax the background pool's configured maximum size
	 * @param fixed connections an instance holds whatever its share
	 */
	public InstanceDemand(int appMax, int appFloor, int backgroundMax, int fixed) {
		this(appMax, appFloor, backgroundMax, 1, fixed);
	}

	/**
	 * Return the least both pools of an instance need together.
	 * @return the app pool's floor and the background pool's floor
	 */
	public int poolFloor() {
		return this.appFloor + this.backgroundFloor;
	}

	/**
	 * Return the least an instance needs to serve: its fixed connections and both pools' floors.
	 * @return the floor of one instance
	 */
	public int floor() {
		return this.fixed + poolFloor();
	}

	/**
	 * Return the most an instance may open: its fixed connections and both pools' configured
	 * maxima.
	 * @return the configured demand of one instance
	 */
	public int configured() {
		return this.fixed + this.appMax + this.backgroundMax;
	}

}
