package io.github.poolguard.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;

import io.github.poolguard.sample.fetch.FetchJob;
import io.github.poolguard.test.RequiresDocker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample tested the way the README tells users to test their own application: PostgreSQL in
 * a Testcontainers container, wired in with {@code @ServiceConnection}. A fetch run's batch work
 * reaches the container through PoolGuard's background pool and stores its rows there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=tc-sample", "sample.universe.size=20",
				"sample.sources.simulator-latency=20ms", "sample.fetch.history-days=10",
				"sample.admin.password=Tc7-sample-admin-secret" })
@Testcontainers
@RequiresDocker
class ServiceConnectionTests {

	@Container
	@ServiceConnection
	static PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");

	private static final String ADMIN = "Basic "
			+ Base64.getEncoder().encodeToString("admin:Tc7-sample-admin-secret".getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	private int port;

	@Autowired
	private FetchJob job;

	@Test
	void fetchRunStoresItsRowsInTheContainerThroughTheBackgroundPool() throws Exception {
		assertThat(count("SELECT count(*) FROM company", "")).isZero();

		HttpResponse<String> started = http().send("POST", "/api/fetch-runs", ADMIN);
		assertThat(started.statusCode()).isEqualTo(202);
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> count("SELECT count(*) FROM pg_stat_activity WHERE starts_with(application_name, ?)",
					"tc-sample:background") > 0);
		this.job.current().await();

		assertThat(count("SELECT count(*) FROM company", "")).isEqualTo(20);
		assertThat(count("SELECT count(*) FROM daily_quote", "")).isPositive();
		assertThat(http().send("GET", "/actuator/health", null).statusCode()).as("serving").isEqualTo(200);
	}

	private static int count(String sql, String parameter) throws SQLException {
		try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
				postgres.getPassword()); PreparedStatement statement = connection.prepareStatement(sql)) {
			if (sql.contains("?")) {
				statement.setString(1, parameter);
			}
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getInt(1);
			}
		}
	}

	private SampleHttp http() {
		return new SampleHttp(this.port);
	}

}
