package io.github.poolguard.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Testcontainers server runs in every CI build, whatever {@code poolguard.test.postgres}
 * selects: a container with the test's own server settings that tests reach on the published
 * port.
 */
@RequiresDocker
class ContainerServerTests {

	@Test
	void containerServerRunsWithTheTestsSettings() throws Exception {
		try (PostgresServer server = ContainerServer.start(Map.of("max_connections", "12"))) {
			String url = server.createDatabase("container");
			assertThat(url).startsWith("jdbc:postgresql://localhost:");
			try (Connection connection = server.connect("container-check");
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SHOW max_connections")) {
				rs.next();
				assertThat(rs.getString(1)).isEqualTo("12");
				assertThat(server.countConnections("container-check")).isEqualTo(1);
			}
		}
	}

}
