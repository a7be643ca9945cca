package io.github.poolguard.monitor;

import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.poolguard.internal.pool.GuardedLogins;

/**
 * A pool's counts at one moment, read from HikariCP's memory, never from the server.
 *
 * @param active connections borrowed
 * @param idle connections idle in the pool
 * @param pending threads waiting for a connection
 * @param max the pool's maximum size
 * @param refusedLogins logins the server refused the pool for want of a connection slot
 * ({@code 53300}) since it was created
 */
public record PoolStats(int active, int idle, int pending, int max, long refusedLogins) {

	/**
	 * Create counts of a pool the server refused no login.
	 * @param active connections borrowed
	 * @param idle connections idle in the pool
	 * @param pending threads waiting for a connection
	 * @param max the pool's maximum size
	 */
	public PoolStats(int active, int idle, int pending, int max) {
		this(active, idle, pending, max, 0);
	}

	/**
	 * Read the counts of a pool; zero counts when it has not started.
	 * @param pool the pool
	 * @return its counts
	 */
	public static PoolStats of(HikariDataSource pool) {
		HikariPoolMXBean bean = pool.getHikariPoolMXBean();
		long refused = GuardedLogins.refusalsOf(pool);
		if (bean == null) {
			return new PoolStats(0, 0, 0, pool.getMaximumPoolSize(), refused);
		}
		return new PoolStats(bean.getActiveConnections(), bean.getIdleConnections(),
				bean.getThreadsAwaitingConnection(), pool.getMaximumPoolSize(), refused);
	}

	/**
	 * Return the counts as a map, for health details and endpoint responses.
	 * @return active, idle, pending, max and refusedLogins
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("active", this.active);
		map.put("idle", this.idle);
		map.put("pending", this.pending);
		map.put("max", this.max);
		map.put("refusedLogins", this.refusedLogins);
		return map;
	}

}
