package io.github.poolguard.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostgreSQL server for tests. Obtain one from {@link TestPostgres}.
 */
public abstract class PostgresServer implements AutoCloseable {

	private static final AtomicInteger databases = new AtomicInteger();

	/**
	 * Tells this JVM's databases from those an earlier run left on a long-lived server.
	 */
	private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

	/**
	 * Return a JDBC URL for the given database on this server.
	 * @param database the database name
	 * @return the URL, without credentials
	 */
	public abstract String jdbcUrl(String database);

	/**
	 * Return the superuser role tests connect as.
	 * @return the user name
	 */
	public abstract String username();

	/**
	 * Return the password of {@link #username()}.
	 * @return the password
	 */
	public abstract String password();

	/**
	 * Stop the server and remove its data, when this server belongs to the caller.
	 */
	@Override
	public abstract void close();

	/**
	 * Return the URL of the server's default database.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return jdbcUrl("postgres");
	}

	/**
	 * Create a fresh, empty database, so a test class does not see another's tables.
	 * @param prefix a readable prefix for the name
	 * @return the new database's URL
	 */
	public String createDatabase(String prefix) {
		String name = (prefix.replaceAll("[^A-Za-z0-9]", "_") + "_" + RUN + "_" + databases.incrementAndGet())
			.toLowerCase(Locale.ROOT);
		execute("CREATE DATABASE " + name);
		return jdbcUrl(name);
	}

	/**
	 * Return the Spring properties that point a context at the given database on this server.
	 * @param url the database URL
	 * @return {@code key=value} pairs
	 */
	public String[] datasourceProperties(String url) {
		return new String[] { "spring.datasource.url=" + url, "spring.datasource.username=" + username(),
				"spring.datasource.password=" + password() };
	}

	/**
	 * Point a {@code @SpringBootTest} at a fresh database on this server, from a
	 * {@code @DynamicPropertySource} method.
	 * @param registry the test's property registry
	 * @param prefix a readable prefix for the database name
	 * @return the new database's JDBC URL
	 */
	public String registerFreshDatabase(DynamicPropertyRegistry registry, String prefix) {
		String url = createDatabase(prefix);
		registry.add("spring.datasource.url", () -> url);
		registry.add("spring.datasource.username", this::username);
		registry.add("spring.datasource.password", this::password);
		return url;
	}

	/**
	 * Open a plain connection to the default database, outside any pool.
	 * @param applicationName the {@code application_name} to connect with
	 * @return the connection
	 * @throws SQLException if the connection fails
	 */
	public Connection connect(String applicationName) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", username());
		properties.setProperty("password", password());
		properties.setProperty("ApplicationName", applicationName);
		return DriverManager.getConnection(jdbcUrl(), properties);
	}

	/**
	 * Run one statement on the default database.
	 * @param sql the statement
	 */
	public void execute(String sql) {
		try (Connection connection = connect("poolguard-test-admin");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Count the client backends with the given application name.
	 * @param applicationName the name
	 * @return how many sessions carry it now
	 */
	public int countConnections(String applicationName) {
		return queryInt("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", applicationName);
	}

	/**
	 * Count the client backends whose application name starts with the given prefix.
	 * @param prefix the prefix
	 * @return how many sessions carry such a name now
	 */
	public int countConnectionsStartingWith(String prefix) {
		return queryInt("SELECT count(*) FROM pg_stat_activity WHERE starts_with(application_name, ?)", prefix);
	}

	/**
	 * Start sampling the peak count of sessions with the given application name.
	 * @param applicationName the name
	 * @return the running sampler; close it to stop
	 */
	public ConnectionPeak samplePeak(String applicationName) {
		return new ConnectionPeak(this, applicationName);
	}

	/**
	 * Return the application names of all client backends, for assertion messages.
	 * @return the names
	 */
	public List<String> applicationNames() {
		List<String> names = new ArrayList<>();
		try (Connection connection = connect("poolguard-test-admin");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT application_name FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
			while (rs.next()) {
				names.add(rs.getString(1));
			}
			return names;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private int queryInt(String sql, String parameter) {
		try (Connection connection = connect("poolguard-test-admin");
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, parameter);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getInt(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
