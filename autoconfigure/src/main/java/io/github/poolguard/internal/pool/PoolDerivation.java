package io.github.poolguard.internal.pool;

import java.lang.reflect.Field;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.util.ReflectionUtils;

/**
 * Reads the connection settings of an application's {@link DataSource} (URL, credentials,
 * driver, {@code data-source-properties}) and derives new HikariCP pools from them, such as the
 * background pool.
 */
public final class PoolDerivation {

	private static final Field DATA_SOURCE_PROPERTIES = field("dataSourceProperties");

	private static final Field HEALTH_CHECK_PROPERTIES = field("healthCheckProperties");

	private PoolDerivation() {
	}

	/**
	 * Return the settings of the given data source as they are now, on a HikariCP pool that is
	 * never started and shares no mutable state with it: a copy of a Hikari pool's whole
	 * configuration, or the URL, credentials and driver Spring Boot's
	 * {@link DataSourceBuilder#derivedFrom(DataSource)} can read from other pools and plain data
	 * sources.
	 * @param dataSource the data source
	 * @return its settings, or {@code null} when they cannot be read
	 */
	public static @Nullable HikariDataSource settingsOf(DataSource dataSource) {
		HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class);
		if (hikari != null) {
			return copyOf(hikari);
		}
		try {
			HikariDataSource derived = DataSourceBuilder.derivedFrom(dataSource).type(HikariDataSource.class).build();
			return (derived.getJdbcUrl() != null) ? derived : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Return a new pool with the given settings, without name, metrics or health registry of
	 * its own yet; or, without settings, a pool that opens its connections through the data
	 * source itself.
	 * @param settings the settings to derive from, as returned by {@link #settingsOf}, or
	 * {@code null}
	 * @param dataSource the data source to open connections through when there are no settings
	 * @return a pool that has not started
	 */
	public static HikariDataSource derive(@Nullable HikariConfig settings, DataSource dataSource) {
		if (settings == null) {
			HikariDataSource pool = new HikariDataSource();
			pool.setDataSource(dataSource);
			return pool;
		}
		return copyOf(settings);
	}

	private static HikariDataSource copyOf(HikariConfig source) {
		HikariDataSource copy = new HikariDataSource();
		source.copyStateTo(copy);
		// a copy opens its own logins: PoolGuard guards them when it governs the copy
		copy.setDataSource(GuardedLogins.original(source.getDataSource()));
		// copyStateTo shares the property objects; give the copy its own
		ReflectionUtils.setField(DATA_SOURCE_PROPERTIES, copy, clone(source.getDataSourceProperties()));
		ReflectionUtils.setField(HEALTH_CHECK_PROPERTIES, copy, clone(source.getHealthCheckProperties()));
		copy.setPoolName(null);
		copy.setMetricsTrackerFactory(null);
		copy.setMetricRegistry(null);
		copy.setHealthCheckRegistry(null);
		return copy;
	}

	private static Properties clone(Properties properties) {
		Properties clone = new Properties();
		clone.putAll(properties);
		return clone;
	}

	private static Field field(String name) {
		Field field = ReflectionUtils.findField(HikariConfig.class, name);
		if (field == null) {
			throw new IllegalStateException("HikariConfig has no field '" + name + "'");
		}
		ReflectionUtils.makeAccessible(field);
		return field;
	}

}
