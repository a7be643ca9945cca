package io.github.poolguard.internal.fleet;

/**
 * What one instance of the application asks of the server. Every instance of one application
 * runs the same configuration, so every instance can work out every other's demand from its own.
 *
 * @param appMax the app pool's configured maximum size
 * @param appFloor the smallest app pool an instance serves with
 * @param backgroundMax the background pool's configured maximum size
 * @param fixed connections an instance holds whatever its share: its monitor and any pool
 * PoolGuard does not size
 */
public record InstanceDemand(int appMax, int appFloor, int backgroundMax, int fixed) {

	/**
	 * The smallest background pool a pool can have (HikariCP needs at least one connection).
	 */
	static final int BACKGROUND_FLOOR = 1;

	/**
	 * Check the values.
	 */
	public InstanceDemand {
		if (appMax < 1 || backgroundMax < 1 || fixed < 0) {
			throw new IllegalArgumentException("appMax and backgroundMax must be at least 1, fixed at least 0");
		}
		appFloor = Math.max(1, Math.min(appFloor, appMax));
	}

	/**
	 * Return the least an instance needs to serve: its fixed connections, the app pool's floor
	 * and one background connection.
	 * @return the floor of one instance
	 */
	public int floor() {
		return this.fixed + this.appFloor + BACKGROUND_FLOOR;
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
