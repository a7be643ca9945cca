package io.github.poolguard.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.pool.ServerLimits;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceUnwrapper;

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
		HikariDataSource hikari = unwrapHikari(this.pool);
		if (hikari != null) {
			return hikari;
		}
		return (this.settings != null) ? this.settings : new HikariDataSource();
	}

	/**
	 * Return whether the app pool is a HikariCP pool whose live counts PoolGuard can read.
	 * @return {@code true} for a HikariCP pool
	 */
	boolean isHikari() {
		return unwrapHikari(this.pool) != null;
	}

	/**
	 * Return the HikariCP pool the data source is or wraps (such as Spring Boot's lazy
	 * connection proxy).
	 * @param dataSource the data source
	 * @return the pool, or {@code null}
	 */
	static @Nullable HikariDataSource unwrapHikari(DataSource dataSource) {
		return DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class);
	}

}
