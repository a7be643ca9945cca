package io.github.poolguard.internal.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariConfig;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connectors made from a pool's settings, against the real server: what the session got is
 * read back from the server.
 */
class ServerConnectorTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void connectsAsThePoolsDataSourceClassWithItsPropertiesAndItsOwnName() throws SQLException {
		HikariConfig pool = new HikariConfig();
		pool.setDataSourceClassName("org.postgresql.ds.PGSimpleDataSource");
		pool.addDataSourceProperty("url", server.jdbcUrl());
		pool.addDataSourceProperty("options", "-c statement_timeout=1234");
		pool.addDataSourceProperty("ApplicationName", "connector:app");
		pool.setUsername(server.username());
		pool.setPassword(server.password());
		ServerConnector connector = ServerConnector.of(pool, "connector:startup");
		assertThat(connector.isPostgres()).isTrue();
		assertThat(session(connector)).isEqualTo("connector:startup 1234ms");
	}

	@Test
	void anotherUrlKeepsTheDriverSettingsButNotTheOldAddress() throws SQLException {
		HikariConfig pool = new HikariConfig();
		pool.setDataSourceClassName("org.postgresql.ds.PGSimpleDataSource");
		pool.addDataSourceProperty("url", "jdbc:postgresql://127.0.0.1:1/nowhere");
		pool.addDataSourceProperty("options", "-c statement_timeout=4321");
		pool.setUsername(server.username());
		pool.setPassword(server.password());
		ServerConnector connector = ServerConnector.of(pool, "connector:monitor").withUrl(server.jdbcUrl());
		assertThat(session(connector)).isEqualTo("connector:monitor 4321ms");
		assertThat(session(connector.without("options"))).isNotEqualTo("connector:monitor 4321ms");
	}

	@Test
	void describesTheTargetWithoutThePassword() {
		HikariConfig pool = new HikariConfig();
		pool.setJdbcUrl("jdbc:postgresql://db.example:5432/app?password=hunter2");
		pool.setUsername("app");
		pool.setPassword("hunter2");
		String description = ServerConnector.of(pool, "x").describe();
		assertThat(description).contains("db.example:5432/app").contains("'app'").doesNotContain("hunter2");
	}

	private static String session(ServerConnector connector) throws SQLException {
		try (Connection connection = connector.connect(); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(
						"SELECT current_setting('application_name') || ' ' || current_setting('statement_timeout')")) {
			rs.next();
			return rs.getString(1);
		}
	}

}
