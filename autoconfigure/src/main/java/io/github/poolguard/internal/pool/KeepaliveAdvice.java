package io.github.poolguard.internal.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;

/**
 * Finds pools that keep connections idle longer than the server lets a session idle
 * ({@code idle_session_timeout}): their borrowers would get connections the server has closed.
 */
public final class KeepaliveAdvice {

	private KeepaliveAdvice() {
	}

	/**
	 * Return one sentence per pool that outlives the server's idle limit.
	 * @param idleSessionTimeout the server's limit, zero when off
	 * @param pools the pools to check
	 * @return the sentences, empty when every pool keeps its connections alive in time
	 */
	public static List<String> check(Duration idleSessionTimeout, HikariConfig... pools) {
		List<String> advice = new ArrayList<>();
		if (idleSessionTimeout.isZero()) {
			return advice;
		}
		for (HikariConfig pool : pools) {
			long keepalive = (pool.getKeepaliveTime() > 0) ? pool.getKeepaliveTime() : pool.getMaxLifetime();
			if (idleSessionTimeout.toMillis() <= keepalive) {
				advice.add("the server ends sessions idle for " + idleSessionTimeout.toSeconds()
						+ " s (idle_session_timeout) but pool '" + pool.getPoolName()
						+ "' keeps idle connections for up to " + keepalive / 1000 + " s between keepalives (max"
						+ " lifetime " + pool.getMaxLifetime() / 1000 + " s); borrowers will get dead connections. Set"
						+ " its keepalive-time and max-lifetime below " + idleSessionTimeout.toSeconds() + " s.");
			}
		}
		return advice;
	}

}
