package io.github.poolguard.internal.pressure;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.poolguard.pressure.PressureSource;
import org.jspecify.annotations.Nullable;

/**
 * Reports pressure while threads wait for a connection from the app pool.
 */
public class AppPoolWaitersPressure implements PressureSource {

	private final HikariDataSource appPool;

	/**
	 * Create a source watching the given pool.
	 * @param appPool the app pool
	 */
	public AppPoolWaitersPressure(HikariDataSource appPool) {
		this.appPool = appPool;
	}

	@Override
	public @Nullable String currentPressure() {
		HikariPoolMXBean pool = this.appPool.getHikariPoolMXBean();
		if (pool == null) {
			return null;
		}
		int waiting = pool.getThreadsAwaitingConnection();
		if (waiting == 0) {
			return null;
		}
		return waiting + " thread(s) waiting for a connection from app pool '" + this.appPool.getPoolName() + "'";
	}

}
