package io.github.poolguard.internal.budget;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.github.poolguard.internal.pool.ServerConnector;

/**
 * The server settings that decide how many connections an application may open.
 *
 * @param maxConnections {@code max_connections}
 * @param superuserReservedConnections {@code superuser_reserved_connections}
 * @param reservedConnections {@code reserved_connections} (PostgreSQL 16 and later, else 0)
 * @param idleSessionTimeout {@code idle_session_timeout} (zero when off or absent)
 * @param superuser whether the current role is a superuser
 */
public record ServerSettings(int maxConnections, int superuserReservedConnections, int reservedConnections,
		Duration idleSessionTimeout, boolean superuser) {

	private static final String QUERY = """
			SELECT current_setting('max_connections')::int,
			       current_setting('superuser_reserved_connections')::int,
			       coalesce(current_setting('reserved_connections', true), '0')::int,
			       coalesce((SELECT setting::bigint FROM pg_settings WHERE name = 'idle_session_timeout'), 0),
			       coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
			""";

	/**
	 * Read the settings on a connection of the connector's own, retrying while the server
	 * cannot be reached.
	 * @param connector opens the connection
	 * @param maxWait how long to keep trying to connect
	 * @return the settings
	 * @throws SQLException if the query fails
	 */
	public static ServerSettings read(ServerConnector connector, Duration maxWait) throws SQLException {
		try (Connection connection = connector.connect(maxWait)) {
			return read(connection);
		}
	}

	/**
	 * Read the settings over the given connection.
	 * @param connection a connection to the server
	 * @return the settings
	 * @throws SQLException if the query fails
	 */
	public static ServerSettings read(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(QUERY)) {
			rs.next();
			return new ServerSettings(rs.getInt(1), rs.getInt(2), rs.getInt(3), Duration.ofMillis(rs.getLong(4)),
					rs.getBoolean(5));
		}
	}

}
