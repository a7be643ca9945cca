package io.github.poolguard.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.pool.ServerLimits;
import org.jspecify.annotations.Nullable;

/**
 * The application's {@code DataSource} as PoolGuard found and governed it.
 *
 * @param beanName the name of the application's {@code DataSource} bean
 * @param pool the data source itself (the app pool), before PoolGuard wrapped it
 * @param settings its connection settings as the application configured them, on a HikariCP
 * pool that never starts, or {@code null} when they cannot be read
 * @param limits the server-side limits its connections carry, or {@code null} when PoolGuard
 * could not apply or did not send any
 * @param notApplied what PoolGuard could not apply and why, or {@code null} when everything was
 */
record GovernedAppPool(String beanName, DataSource pool, @Nullable HikariDataSource settings,
		@Nullable ServerLimits limits, @Nullable String notApplied) {

	/**
	 * Return the app pool as a HikariCP pool: the pool itself when it is one, else a
	 * never-started stand-in with its settings (and size where known), so that URL, credentials
	 * and size can be read in one way.
	 * @return the pool or its stand-in
	 */
	HikariDataSource hikari() {
		if (this.pool instanceof HikariDataSource hikari) {
			return hikari;
		}
		return (this.settings != null) ? this.settings : new HikariDataSource();
	}

	/**
	 * Return whether the app pool is a HikariCP pool whose live counts PoolGuard can read.
	 * @return {@code true} for a HikariCP pool
	 */
	boolean isHikari() {
		return this.pool instanceof HikariDataSource;
	}

}
