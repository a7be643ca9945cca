package io.github.poolguard.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.util.DriverDataSource;
import com.zaxxer.hikari.util.PropertyElf;
import com.zaxxer.hikari.util.UtilityElf;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Opens single connections straight to the server, outside every pool, for PoolGuard's own
 * short work (the startup check, the server monitor, batch claims, PgBouncer's console). Built
 * {@linkplain #of(HikariConfig, String) from a pool}, it connects exactly as that pool does:
 * the same URL or data source class, driver, credentials and {@code data-source-properties}
 * (TLS mode and certificates, authentication plugins), with only {@code ApplicationName} set
 * to its own and connect and socket timeouts added where none are set. Connecting is retried
 * with progressive backoff for a bounded time while the server is unreachable or still
 * starting; a refusal that waiting cannot fix (wrong password, missing database) fails at once.
 */
public class ServerConnector {

	private static final Log logger = LogFactory.getLog(ServerConnector.class);

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private static final String DEFAULT_CONNECT_TIMEOUT = "5";

	// data source properties that say where to connect, replaced by a URL of its own
	private static final List<String> LOCATION_PROPERTIES = List.of("url", "URL", "serverName", "serverNames",
			"portNumber", "portNumbers", "databaseName");

	private final @Nullable String url;

	private final @Nullable String username;

	private final @Nullable String password;

	private final @Nullable String driverClassName;

	private final @Nullable String dataSourceClassName;

	private final Properties dataSourceProperties;

	private final String connectionName;

	/**
	 * Create a connector with a URL and credentials only, and no other driver settings.
	 * @param url the JDBC URL
	 * @param username the user name, or {@code null} for the driver's default
	 * @param password the password, or {@code null}
	 * @param connectionName the {@code application_name} of the connections it opens
	 */
	public ServerConnector(String url, @Nullable String username, @Nullable String password,
			String connectionName) {
		this(url, username, password, null, null, new Properties(), connectionName);
	}

	private ServerConnector(@Nullable String url, @Nullable String username, @Nullable String password,
			@Nullable String driverClassName, @Nullable String dataSourceClassName, Properties dataSourceProperties,
			String connectionName) {
		this.url = url;
		this.username = username;
		this.password = password;
		this.driverClassName = driverClassName;
		this.dataSourceClassName = dataSourceClassName;
		this.dataSourceProperties = dataSourceProperties;
		this.connectionName = connectionName;
	}

	/**
	 * Create a connector that connects as the given pool does.
	 * @param pool the pool whose settings to use (read now; later changes are not seen)
	 * @param connectionName the {@code application_name} of the connections it opens
	 * @return the connector
	 */
	public static ServerConnector of(HikariConfig pool, String connectionName) {
		Properties properties = new Properties();
		properties.putAll(pool.getDataSourceProperties());
		return new ServerConnector(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword(),
				pool.getDriverClassName(), pool.getDataSourceClassName(), properties, connectionName);
	}

	/**
	 * Return a connector to another URL with the same credentials and driver settings, such as
	 * the server's own address when the pools go through PgBouncer.
	 * @param url the JDBC URL
	 * @return the connector
	 */
	public ServerConnector withUrl(String url) {
		Properties properties = copyOfProperties();
		LOCATION_PROPERTIES.forEach(properties::remove);
		return new ServerConnector(url, this.username, this.password, this.driverClassName, null, properties,
				this.connectionName);
	}

	/**
	 * Return a connector that logs in with other credentials and the same driver settings.
	 * @param username the user name, or {@code null} for the driver's default
	 * @param password the password, or {@code null}
	 * @return the connector
	 */
	public ServerConnector withCredentials(@Nullable String username, @Nullable String password) {
		return new ServerConnector(this.url, username, password, this.driverClassName, this.dataSourceClassName,
				copyOfProperties(), this.connectionName);
	}

	/**
	 * Return a connector without the given driver setting, for a peer that refuses it.
	 * @param name the data source property
	 * @return the connector
	 */
	public ServerConnector without(String name) {
		Properties properties = copyOfProperties();
		properties.remove(name);
		return new ServerConnector(this.url, this.username, this.password, this.driverClassName,
				this.dataSourceClassName, properties, this.connectionName);
	}

	/**
	 * Return the JDBC URL.
	 * @return the URL, or {@code null} when the pool names a data source class instead
	 */
	public @Nullable String getUrl() {
		return this.url;
	}

	/**
	 * Return a driver or server message with every secret this connector knows (its password,
	 * and {@code password} or {@code sslpassword} among its data source properties) masked, so
	 * that it can be logged or shown.
	 * @param message the message, or {@code null}
	 * @return the message, safe to show
	 */
	public String mask(@Nullable String message) {
		if (message == null) {
			return "(no message)";
		}
		String masked = message;
		for (String secret : new String[] { this.password, this.dataSourceProperties.getProperty("password"),
				this.dataSourceProperties.getProperty("sslpassword") }) {
			if (secret != null && !secret.isEmpty()) {
				masked = masked.replace(secret, "******");
			}
		}
		return masked;
	}

	/**
	 * Return how long one login may take before it is given up, as pgjdbc's
	 * {@code loginTimeout} reads it: the pool's own {@code loginTimeout}, else its
	 * {@code connectTimeout}, else 5 seconds.
	 * @return the login timeout in seconds, as configured
	 */
	public String getLoginTimeout() {
		return this.dataSourceProperties.getProperty("loginTimeout",
				this.dataSourceProperties.getProperty("connectTimeout", DEFAULT_CONNECT_TIMEOUT));
	}

	/**
	 * Return the {@code application_name} of the connections it opens.
	 * @return the connection name
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return whether the connector reaches PostgreSQL, by its URL or data source class.
	 * @return {@code true} for PostgreSQL
	 */
	public boolean isPostgres() {
		if (this.url != null) {
			return JdbcUrls.isPostgres(this.url);
		}
		return this.dataSourceClassName != null && this.dataSourceClassName.startsWith("org.postgresql.");
	}

	/**
	 * Return the URL with credentials masked.
	 * @return the URL, safe to show
	 */
	public String describe() {
		String target = (this.url != null) ? JdbcUrls.redact(this.url) : describeDataSource();
		return target + ((this.username != null) ? " as user '" + this.username + "'" : "");
	}

	private String describeDataSource() {
		StringBuilder text = new StringBuilder(String.valueOf(this.dataSourceClassName));
		for (String name : LOCATION_PROPERTIES) {
			String value = this.dataSourceProperties.getProperty(name);
			if (value != null) {
				text.append(' ').append(name).append('=').append(JdbcUrls.redact(value));
			}
		}
		return text.toString();
	}

	/**
	 * Open one connection, without retrying.
	 * @return the connection; the caller closes it
	 * @throws SQLException when the server cannot be reached or refuses
	 */
	public Connection connect() throws SQLException {
		Properties properties = copyOfProperties();
		if (isPostgres()) {
			properties.setProperty("ApplicationName", this.connectionName);
			properties.putIfAbsent("connectTimeout", DEFAULT_CONNECT_TIMEOUT);
			// a server that accepts TCP but never answers would hold the login for the pool's
			// socketTimeout (minutes for the background pool): bound the whole login instead
			properties.putIfAbsent("loginTimeout", properties.getProperty("connectTimeout"));
			properties.putIfAbsent("socketTimeout", "30");
		}
		if (this.dataSourceClassName != null) {
			DataSource dataSource = UtilityElf.createInstance(this.dataSourceClassName, DataSource.class);
			PropertyElf.setTargetFromProperties(dataSource, properties);
			return (this.username != null) ? dataSource.getConnection(this.username, this.password)
					: dataSource.getConnection();
		}
		Assert.state(this.url != null, "no JDBC URL and no data source class");
		return new DriverDataSource(this.url, this.driverClassName, properties, this.username, this.password)
			.getConnection();
	}

	private Properties copyOfProperties() {
		Properties copy = new Properties();
		copy.putAll(this.dataSourceProperties);
		return copy;
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
						+ mask(ex.getMessage()) + "); retrying in " + backoff.toMillis() + " ms, giving up after "
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
		if (isUnansweredLogin(ex)) {
			// the server took the connection and said nothing: it is not starting (that answers
			// 57P03 at once), and every retry would wait another login timeout
			return false;
		}
		String state = ex.getSQLState();
		if (state == null) {
			return true;
		}
		return state.startsWith("08") || state.equals("57P03") || state.equals("53300") || state.equals("57P01");
	}

	/**
	 * Return whether a login failed because the server never answered within the login timeout.
	 * @param ex the failure
	 * @return {@code true} for pgjdbc's "Connection attempt timed out"
	 */
	public static boolean isUnansweredLogin(SQLException ex) {
		return "08001".equals(ex.getSQLState()) && ex.getMessage() != null
				&& ex.getMessage().contains("Connection attempt timed out");
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
