package io.github.poolguard.integration.jpa;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @AutoConfigureTestDatabase} replaces the configured database with an embedded one, as
 * it does without the starter: the test's writes go to H2, the table on the configured
 * PostgreSQL server stays untouched, and PoolGuard never connects to that server. ({@code ANY},
 * because the default leaves a URL from {@code @DynamicPropertySource} alone as a test database.)
 */
@SpringBootTest(properties = { "spring.application.name=test-database-test",
		"spring.jpa.hibernate.ddl-auto=create-drop" })
@AutoConfigureTestDatabase(replace = Replace.ANY)
class TestDatabaseIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static String url;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		url = server.registerFreshDatabase(registry, "test_database");
		execute("CREATE TABLE note (id bigint PRIMARY KEY, text varchar(255))");
	}

	@Autowired
	private NoteRepository repository;

	@Autowired
	private DataSource dataSource;

	@Test
	void writesGoToTheEmbeddedDatabaseOnBothWorkloads() throws Exception {
		this.repository.save(new Note("app"));
		Workload.BACKGROUND.run(() -> this.repository.save(new Note("background")));
		assertThat(this.repository.count()).isEqualTo(2);
		assertThat(this.dataSource).isInstanceOf(WorkloadRoutingDataSource.class);
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.getMetaData().getURL()).startsWith("jdbc:h2:mem:");
		}
		assertThat(server.countConnectionsStartingWith("test-database-test")).isZero();
	}

	@AfterAll
	static void theConfiguredServerIsUntouched() {
		assertThat(queryInt("SELECT count(*) FROM note")).isZero();
	}

	private static void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(url, server.username(), server.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int queryInt(String sql) {
		try (Connection connection = DriverManager.getConnection(url, server.username(), server.password());
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class JpaApplication {

	}

}
