package io.github.poolguard.benchmarks.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver whose connections do nothing, so a benchmark measures the pool and PoolGuard,
 * not a database (as HikariCP's own benchmarks do). Accepts {@code jdbc:stub:} URLs.
 */
public final class StubDriver implements Driver {

	/**
	 * The URL to give a pool.
	 */
	public static final String URL = "jdbc:stub:benchmark";

	static {
		try {
			DriverManager.registerDriver(new StubDriver());
		}
		catch (SQLException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * Make sure the driver is registered.
	 */
	public static void register() {
	}

	@Override
	public Connection connect(String url, Properties info) {
		return acceptsURL(url) ? new StubConnection() : null;
	}

	@Override
	public boolean acceptsURL(String url) {
		return url != null && url.startsWith("jdbc:stub:");
	}

	@Override
	public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
		return new DriverPropertyInfo[0];
	}

	@Override
	public int getMajorVersion() {
		return 1;
	}

	@Override
	public int getMinorVersion() {
		return 0;
	}

	@Override
	public boolean jdbcCompliant() {
		return false;
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		throw new SQLFeatureNotSupportedException();
	}

}
