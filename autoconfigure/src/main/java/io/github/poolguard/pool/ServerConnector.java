package io.github.poolguard.pool;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Opens single connections straight to the server, outside both pools, for PoolGuard's own
 * short work (the startup budget check). Connecting is retried with progressive backoff for a
 * bounded time while the server is unreachable or still starting; a refusal that waiting cannot
 * fix (wrong password, missing database) fails at once.
 */
public class ServerConnector {

	private static final Log logger = LogFactory.getLog(ServerConnector.class);

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private final String url;

	private final @Nullable String username;

	private final @Nullable String password;

	private final String connectionName;

	/**
	 * Create a connector.
	 * @param url the JDBC URL
	 * @param username the user name, or {@code null} for the driver's default
	 * @param password the password, or {@code null}
	 * @param connectionName the {@code application_name} of the connections it opens
	 */
	public ServerConnector(String url, @Nullable String username, @Nullable String password,
			String connectionName) {
		this.url = url;
		this.username = username;
		this.password = password;
		this.connectionName = connectionName;
	}

	/**
	 * Return the URL with credentials masked.
	 * @return the URL, safe to show
	 */
	public String describe() {
		return JdbcUrls.redact(this.url) + ((this.username != null) ? " as user '" + this.username + "'" : "");
	}

	/**
	 * Open one connection, without retrying.
	 * @return the connection; the caller closes it
	 * @throws SQLException when the server cannot be reached or refuses
	 */
	public Connection connect() throws SQLException {
		Properties properties = new Properties();
		if (this.username != null) {
			properties.setProperty("user", this.username);
		}
		if (this.password != null) {
			properties.setProperty("password", this.password);
		}
		if (JdbcUrls.isPostgres(this.url)) {
			properties.setProperty("ApplicationName", this.connectionName);
			properties.setProperty("connectTimeout", "5");
			properties.setProperty("socketTimeout", "30");
		}
		return DriverManager.getConnection(this.url, properties);
	}

	/**
	 * Open one connection, retrying with progressive backoff while the failure is one that
	 * waiting can cure.
	 * @param maxWait how long to keep trying
	 * @return the connection; the caller closes it
	 * @throws DatabaseUnreachableException when no attempt succeeded in time, or the server
	 * refused for a reason waiting cannot cure
	 */
	public Connection connect(Duration maxWait) {
		long start = System.nanoTime();
		long deadline = start + maxWait.toNanos();
		Duration backoff = FIRST_BACKOFF;
		for (int attempt = 1;; attempt++) {
			try {
				return connect();
			}
			catch (SQLException ex) {
				long now = System.nanoTime();
				Duration elapsed = Duration.ofNanos(now - start);
				if (!isWorthRetrying(ex)) {
					throw new DatabaseUnreachableException(describe(), attempt, elapsed, false, ex);
				}
				if (now + backoff.toNanos() > deadline) {
					throw new DatabaseUnreachableException(describe(), attempt, elapsed, true, ex);
				}
				logger.warn("PoolGuard: cannot connect to " + describe() + " (attempt " + attempt + ": "
						+ ex.getMessage() + "); retrying in " + backoff.toMillis() + " ms, giving up after "
						+ maxWait.toSeconds() + " s (poolguard.budget.wait-for-database)");
				sleep(backoff);
				backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
			}
		}
	}

	/**
	 * Return whether a failure to connect may go away by itself: the server is down, starting,
	 * shutting down, or out of connection slots.
	 * @param ex the failure
	 * @return {@code true} to retry
	 */
	static boolean isWorthRetrying(SQLException ex) {
		String state = ex.getSQLState();
		if (state == null) {
			return true;
		}
		return state.startsWith("08") || state.equals("57P03") || state.equals("53300") || state.equals("57P01");
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the database", ex);
		}
	}

}
