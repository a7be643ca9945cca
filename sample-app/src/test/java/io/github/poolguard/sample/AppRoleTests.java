package io.github.poolguard.sample;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample runs under the least-privilege role that {@code db/create-app-role.sql} creates,
 * with superuser logins refused.
 */
class AppRoleTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void sampleRunsUnderTheShippedAppRole() throws Exception {
		String url = server.createDatabase("approle");
		String script = Files.readString(Path.of("db/create-app-role.sql"));
		try (Connection connection = DriverManager.getConnection(url, server.username(), server.password());
				Statement statement = connection.createStatement()) {
			statement.execute(script);
		}
		JdbcTemplate asAdmin = new JdbcTemplate(new DriverManagerDataSource(url, server.username(), server.password()));
		assertThat(asAdmin.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = 'ticker_app'", Boolean.class))
			.isFalse();
		assertThat(asAdmin.queryForList("SELECT unnest(setconfig) FROM pg_db_role_setting s JOIN pg_roles r"
				+ " ON r.oid = s.setrole WHERE r.rolname = 'ticker_app'", String.class))
			.contains("statement_timeout=30s", "idle_in_transaction_session_timeout=5min", "lock_timeout=10s");

		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int exit = SampleCli.run(new String[] { "PETR4", "VALE3", "--spring.datasource.url=" + url,
				"--spring.datasource.username=ticker_app", "--spring.datasource.password=unused-with-trust-auth",
				"--poolguard.security.allow-superuser=false", "--sample.fetch.history-days=10",
				"--sample.sources.simulator-latency=0ms", "--spring.main.banner-mode=off" },
				new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
		assertThat(exit).isEqualTo(SampleCli.OK);
		assertThat(asAdmin.queryForObject("SELECT tableowner FROM pg_tables WHERE tablename = 'daily_quote'",
				String.class))
			.isEqualTo("ticker_app");
		assertThat(asAdmin.queryForObject("SELECT count(*) FROM company", Integer.class)).isEqualTo(2);
	}

}
