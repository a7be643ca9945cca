package io.github.poolguard.integration;

import javax.sql.DataSource;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection details (what {@code @ServiceConnection} and Docker Compose register) win over
 * {@code spring.datasource.hikari.jdbc-url|username|password} exactly as in Spring Boot, for
 * the app pool and the background pool derived from it.
 */
class ConnectionDetailsIntegrationTests {

	private static PostgresServer server;

	private static String url;

	@BeforeAll
	static void database() {
		server = TestPostgres.shared();
		url = server.createDatabase("connection_details");
	}

	@Test
	void connectionDetailsBeanWinsOverStrayHikariProperties() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PoolGuardAutoConfiguration.class))
			.withPropertyValues("spring.application.name=details-test",
					"spring.datasource.hikari.jdbc-url=jdbc:postgresql://localhost:1/stray",
					"spring.datasource.hikari.username=stray", "spring.datasource.hikari.password=stray")
			.withBean(JdbcConnectionDetails.class, () -> new Details(url, server.username(), server.password()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				String sql = "SELECT application_name || ' ' || current_database() FROM pg_stat_activity"
						+ " WHERE pid = pg_backend_pid()";
				String database = url.substring(url.lastIndexOf('/') + 1);
				assertThat(jdbc.queryForObject(sql, String.class)).isEqualTo("details-test:app " + database);
				assertThat(Workload.BACKGROUND.get(() -> jdbc.queryForObject(sql, String.class)))
					.isEqualTo("details-test:background " + database);
			});
	}

	private record Details(String url, String username, String password) implements JdbcConnectionDetails {

		@Override
		public String getJdbcUrl() {
			return this.url;
		}

		@Override
		public String getUsername() {
			return this.username;
		}

		@Override
		public String getPassword() {
			return this.password;
		}

	}

}
