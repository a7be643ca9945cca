package io.github.poolguard.internal.fleet;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sets a HikariCP pool's maximum size at run time, never above what the application configured,
 * and keeps {@code minimumIdle} from pre-opening more than the new maximum. A pool that shrinks
 * below the connections it holds closes its idle ones at once and its busy ones as they are
 * returned (HikariCP's soft eviction); the pool opens new ones on demand up to the new maximum.
 */
public final class PoolResizer {

	private static final Log logger = LogFactory.getLog(PoolResizer.class);

	private final HikariDataSource pool;

	private final String role;

	private final int configuredMax;

	private final int configuredMinIdle;

	/**
	 * Create a resizer for a pool, remembering the sizes it was configured with.
	 * @param pool the pool
	 * @param role the pool's role in log lines, such as {@code app}
	 */
	public PoolResizer(HikariDataSource pool, String role) {
		this.pool = pool;
		this.role = role;
		this.configuredMax = pool.getMaximumPoolSize();
		int minIdle = pool.getMinimumIdle();
		this.configuredMinIdle = (minIdle < 0) ? this.configuredMax : Math.min(minIdle, this.configuredMax);
	}

	/**
	 * Return the pool's maximum size now.
	 * @return the live maximum
	 */
	public int currentMax() {
		return this.pool.getMaximumPoolSize();
	}

	/**
	 * Resize the pool to a share, capped at the configured maximum and at least one connection.
	 * @param share the connections this pool may hold
	 * @param arithmetic why, for the log line
	 * @return {@code true} when the maximum changed
	 */
	public boolean resize(int share, String arithmetic) {
		int target = Math.max(1, Math.min(share, this.configuredMax));
		int current = currentMax();
		if (target == current) {
			return false;
		}
		int minIdle = Math.min(this.configuredMinIdle, target);
		// A HikariDataSource is its running pool's configuration (its HikariConfigMXBean), so
		// these take effect on a started pool too. minimumIdle goes first on the way down, so
		// the pool never tops up towards the old maximum.
		if (target < current) {
			this.pool.setMinimumIdle(minIdle);
			this.pool.setMaximumPoolSize(target);
		}
		else {
			this.pool.setMaximumPoolSize(target);
			this.pool.setMinimumIdle(minIdle);
		}
		HikariPoolMXBean poolBean = this.pool.getHikariPoolMXBean();
		if (target < current && poolBean != null && poolBean.getTotalConnections() > target) {
			poolBean.softEvictConnections();
		}
		logger.info("PoolGuard: " + this.role + " pool maximum " + current + " → " + target + " (configured "
				+ this.configuredMax + "): " + arithmetic + ".");
		return true;
	}

	/**
	 * Return the server connections the pool holds now.
	 * @return open connections, 0 before the pool started
	 */
	public int openConnections() {
		HikariPoolMXBean poolBean = this.pool.getHikariPoolMXBean();
		return (poolBean != null) ? poolBean.getTotalConnections() : 0;
	}

}
