package io.github.poolguard.internal.pool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.util.DriverDataSource;
import org.jspecify.annotations.Nullable;

/**
 * The data source a governed HikariCP pool opens its server connections through: the one
 * HikariCP would have built from the pool's PostgreSQL URL, with PoolGuard's
 * {@link LoginGuard}s around every login. Guarding the logins rather than the
 * borrows covers every way to the pool, and sees the server's own refusals.
 */
public final class GuardedLogins implements DataSource {

	/**
	 * SQLState of a login the server refused for want of a connection slot.
	 */
	public static final String TOO_MANY_CONNECTIONS = "53300";

	private final HikariConfig config;

	private final String pool;

	private final Supplier<List<LoginGuard>> guards;

	private final AtomicLong refusals = new AtomicLong();

	private volatile @Nullable DataSource delegate;

	private GuardedLogins(HikariConfig config, String pool, Supplier<List<LoginGuard>> guards) {
		this.config = config;
		this.pool = pool;
		this.guards = guards;
	}

	/**
	 * Have a pool that has not started open its connections through guarded logins, where it
	 * opens them from a PostgreSQL URL (not from a data source, class name or JNDI name).
	 * @param config the pool's configuration
	 * @param pool the pool's role
	 * @param guards the guards, read at every login
	 * @return whether the logins are guarded
	 */
	public static boolean install(HikariConfig config, String pool, Supplier<List<LoginGuard>> guards) {
		if (config.getDataSource() instanceof GuardedLogins) {
			return true;
		}
		if (config.getDataSource() != null || config.getDataSourceClassName() != null
				|| config.getDataSourceJNDI() != null || !JdbcUrls.isPostgres(config.getJdbcUrl())) {
			return false;
		}
		config.setDataSource(new GuardedLogins(config, pool, guards));
		return true;
	}

	/**
	 * Return the data source a pool opened its connections through before its logins were
	 * guarded, so a copy of its settings gets guards of its own.
	 * @param dataSource a pool's data source
	 * @return {@code null} for guarded logins (HikariCP builds the data source from the URL),
	 * else the data source itself
	 */
	public static @Nullable DataSource original(@Nullable DataSource dataSource) {
		return (dataSource instanceof GuardedLogins) ? null : dataSource;
	}

	/**
	 * Return how many logins the server refused a pool for want of a connection slot.
	 * @param config the pool's configuration
	 * @return the refusals, 0 where its logins are not guarded
	 */
	public static long refusalsOf(HikariConfig config) {
		return (config.getDataSource() instanceof GuardedLogins guarded) ? guarded.getRefusals() : 0;
	}

	/**
	 * Return how many logins the server refused for want of a connection slot.
	 * @return the refusals since the pool was created
	 */
	public long getRefusals() {
		return this.refusals.get();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return login(null, null);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return login(username, password);
	}

	private Connection login(@Nullable String username, @Nullable String password) throws SQLException {
		List<LoginGuard> guards = this.guards.get();
		for (LoginGuard guard : guards) {
			guard.beforeLogin(this.pool);
		}
		Connection connection;
		try {
			connection = (username != null) ? delegate().getConnection(username, password)
					: delegate().getConnection();
		}
		catch (SQLException ex) {
			if (TOO_MANY_CONNECTIONS.equals(ex.getSQLState())) {
				this.refusals.incrementAndGet();
				for (LoginGuard guard : guards) {
					guard.refused(this.pool, ex);
				}
			}
			throw ex;
		}
		for (LoginGuard guard : guards) {
			guard.loggedIn(this.pool);
		}
		return connection;
	}

	// built on first use, as HikariCP builds it when the pool starts: the settings are final then
	private DataSource delegate() {
		DataSource delegate = this.delegate;
		if (delegate == null) {
			delegate = new DriverDataSource(this.config.getJdbcUrl(), this.config.getDriverClassName(),
					this.config.getDataSourceProperties(), this.config.getUsername(), this.config.getPassword());
			this.delegate = delegate;
		}
		return delegate;
	}

	@Override
	public @Nullable PrintWriter getLogWriter() throws SQLException {
		return delegate().getLogWriter();
	}

	@Override
	public void setLogWriter(@Nullable PrintWriter out) throws SQLException {
		delegate().setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		delegate().setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return delegate().getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return delegate().getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> type) throws SQLException {
		return type.isInstance(this) ? type.cast(this) : delegate().unwrap(type);
	}

	@Override
	public boolean isWrapperFor(Class<?> type) throws SQLException {
		return type.isInstance(this) || delegate().isWrapperFor(type);
	}

	@Override
	public String toString() {
		return "GuardedLogins[" + this.pool + "]";
	}

}
