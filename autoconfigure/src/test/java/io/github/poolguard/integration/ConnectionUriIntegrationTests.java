package io.github.poolguard.integration;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.internal.pool.MisplacedUrlSettingsException;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.FailureAnalyses;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * URLs as Heroku, Render, Supabase and Prisma users paste them, {@code postgres[ql]://user:password@…},
 * for both pools, against a server that checks passwords: credentials move out of the URL and are
 * never printed, pool parameters map to the pool's settings, anything else and a wrong background
 * password fail startup with a failure analysis naming the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionUriIntegrationTests {

	private static final String APP_PASSWORD = "H3roku-App-Qz7";

	private static final String BACKGROUND_PASSWORD = "Pr1sma-Bg-S3cret";

	private static final String WRONG_PASSWORD = "Wr0ng-Bg-Xv5";

	// a password pasted without percent-encoding, holding every character that ends a URL's host part
	private static final String PASTED_PASSWORD = "Sl7S/Tail?Qx@Zk";

	private static PostgresServer server;

	private static String hostAndPort;

	@BeforeAll
	static void startServer() {
		server = TestPostgres.startWithPasswordAuthentication();
		server.execute("CREATE ROLE uri_app LOGIN PASSWORD '" + APP_PASSWORD + "'");
		server.execute("CREATE ROLE uri_batch LOGIN PASSWORD '" + BACKGROUND_PASSWORD + "'");
		server.execute("CREATE ROLE uri_paste LOGIN PASSWORD '" + PASTED_PASSWORD + "'");
		server.execute("CREATE DATABASE uri_paste OWNER uri_paste");
		String url = server.jdbcUrl();
		String rest = url.substring("jdbc:postgresql://".length());
		hostAndPort = rest.substring(0, rest.indexOf('/'));
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void herokuAppUrlAndPrismaBackgroundUrlWorkAndLeakNothing(CapturedOutput output) throws Exception {
		List<String> seen = new ArrayList<>();
		try (ConfigurableApplicationContext context = start(
				"spring.datasource.url=postgres://uri_app:" + APP_PASSWORD + "@" + hostAndPort
						+ "/postgres?sslmode=disable",
				"poolguard.background.url=postgresql://uri_batch:" + BACKGROUND_PASSWORD + "@" + hostAndPort
						+ "/postgres?connection_limit=3&pool_timeout=20&schema=pg_catalog")) {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("uri_app");
			assertThat(Workload.BACKGROUND.call(() -> jdbc.queryForObject("SELECT current_user", String.class)))
				.isEqualTo("uri_batch");
			assertThat(Workload.BACKGROUND.call(() -> jdbc.queryForObject("SHOW search_path", String.class)))
				.as("schema= becomes pgjdbc's currentSchema").isEqualTo("pg_catalog");
			HikariDataSource background = context.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME,
					HikariDataSource.class);
			assertThat(background.getMaximumPoolSize()).as("connection_limit").isEqualTo(3);
			assertThat(background.getConnectionTimeout()).as("pool_timeout in seconds").isEqualTo(20_000);
			assertThat(background.getJdbcUrl()).startsWith("jdbc:postgresql://").doesNotContain(BACKGROUND_PASSWORD);
			assertThat(server.countConnections("uris:background")).isPositive();
			String url = context.getEnvironment().getProperty("spring.datasource.url");
			seen.add(url);
			seen.add(String.valueOf(context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME)));
			assertThat(url).isEqualTo("jdbc:postgresql://" + hostAndPort + "/postgres?sslmode=disable");
		}
		assertThat(seen).allSatisfy((text) -> assertThat(text).doesNotContain(APP_PASSWORD, BACKGROUND_PASSWORD));
		assertThat(output).doesNotContain(APP_PASSWORD, BACKGROUND_PASSWORD)
			.contains("poolguard.background.url is a connection URI");
	}

	@Test
	void passwordSetExplicitlyWinsOverTheOneInTheUrl() {
		try (ConfigurableApplicationContext context = start(
				"spring.datasource.url=postgresql://uri_app:" + WRONG_PASSWORD + "@" + hostAndPort + "/postgres",
				"spring.datasource.password=" + APP_PASSWORD)) {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("uri_app");
		}
	}

	@Test
	void unknownParameterFailsStartupNamingThePropertyWithoutThePassword(CapturedOutput output) {
		String[] properties = { "spring.datasource.url=postgres://uri_app:" + APP_PASSWORD + "@" + hostAndPort
				+ "/postgres", "poolguard.background.url=postgresql://uri_batch:" + BACKGROUND_PASSWORD + "@"
						+ hostAndPort + "/postgres?connection_limit=3&statement_cache_size=100" };
		Throwable failure = catchThrowable(() -> start(properties).close());
		assertThat(failure).isInstanceOf(MisplacedUrlSettingsException.class);
		FailureAnalysis analysis = FailureAnalyses.analyze(failure, properties);
		assertThat(analysis.getDescription()).contains("poolguard.background.url").contains("statement_cache_size");
		assertNoSecret(failure, analysis, output, APP_PASSWORD, BACKGROUND_PASSWORD);
		assertThat(output).contains("APPLICATION FAILED TO START").contains("poolguard.background.url");
	}

	@Test
	void wrongBackgroundPasswordFailsStartupNamingBackgroundPassword(CapturedOutput output) {
		String[] properties = { "spring.datasource.url=postgres://uri_app:" + APP_PASSWORD + "@" + hostAndPort
				+ "/postgres", "poolguard.background.url=postgresql://uri_batch:" + WRONG_PASSWORD + "@"
						+ hostAndPort + "/postgres?connection_limit=2" };
		Throwable failure = catchThrowable(() -> start(properties).close());
		FailureAnalysis analysis = FailureAnalyses.analyze(failure, properties);
		assertThat(analysis.getDescription()).contains("refused the background pool's login")
			.contains("uri_batch")
			.contains("28P01");
		assertThat(analysis.getAction()).contains("poolguard.background.password");
		assertNoSecret(failure, analysis, output, APP_PASSWORD, WRONG_PASSWORD);
		assertThat(output).contains("APPLICATION FAILED TO START").contains("poolguard.background.password");
	}

	@Test
	void unencodedPasswordWithSlashQuestionMarkAndAtLogsInAndIsNeverPrinted(CapturedOutput output) throws Exception {
		List<String> seen = new ArrayList<>();
		try (ConfigurableApplicationContext context = start(
				"spring.datasource.url=postgresql://uri_paste:" + PASTED_PASSWORD + "@" + hostAndPort + "/postgres",
				"poolguard.background.url=postgres://uri_paste:" + PASTED_PASSWORD + "@" + hostAndPort
						+ "/postgres?connection_limit=2")) {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo("uri_paste");
			assertThat(Workload.BACKGROUND.call(() -> jdbc.queryForObject("SELECT current_user", String.class)))
				.isEqualTo("uri_paste");
			seen.add(context.getEnvironment().getProperty("spring.datasource.url"));
			seen.add(context.getEnvironment().getProperty("poolguard.background.url"));
		}
		assertThat(seen).containsExactly("jdbc:postgresql://" + hostAndPort + "/postgres",
				"jdbc:postgresql://" + hostAndPort + "/postgres");
		assertThat(output).contains("spring.datasource.url is a connection URI")
			.doesNotContain("Sl7S", "Tail", "Qx@", "@Zk");
	}

	@Test
	void uriWithoutADatabaseConnectsToTheDatabaseNamedLikeTheUserAsLibpqDoes() {
		try (ConfigurableApplicationContext context = start(
				"spring.datasource.url=postgresql://uri_paste:" + PASTED_PASSWORD + "@" + hostAndPort)) {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo("uri_paste");
		}
	}

	@Test
	void badPercentEscapeInThePasswordFailsNamingThePropertyWithoutThePassword(CapturedOutput output) {
		String[] properties = { "spring.datasource.url=postgresql://uri_app:Pc%zzT1-Secret@" + hostAndPort
				+ "/postgres" };
		Throwable failure = catchThrowable(() -> start(properties).close());
		assertThat(failure).isInstanceOf(MisplacedUrlSettingsException.class);
		FailureAnalysis analysis = FailureAnalyses.analyze(failure, properties);
		assertThat(analysis.getDescription()).contains("spring.datasource.url")
			.contains("the password has a '%' not followed by two hexadecimal digits");
		assertNoSecret(failure, analysis, output, "Pc%zz", "zzT1", "T1-Secret");
	}

	@Test
	void portThatIsNotANumberOrTooLargeFailsNamingTheProperty(CapturedOutput output) {
		for (String port : List.of("99999", "abc")) {
			String[] properties = { "poolguard.background.url=postgresql://uri_batch:" + BACKGROUND_PASSWORD
					+ "@127.0.0.1:" + port + "/postgres" };
			Throwable failure = catchThrowable(() -> start(properties).close());
			assertThat(failure).isInstanceOf(MisplacedUrlSettingsException.class);
			FailureAnalysis analysis = FailureAnalyses.analyze(failure, properties);
			assertThat(analysis.getDescription()).contains("poolguard.background.url")
				.contains("the port of '127.0.0.1:" + port + "' must be a number from 1 to 65535");
			assertNoSecret(failure, analysis, output, BACKGROUND_PASSWORD);
		}
	}

	private static void assertNoSecret(Throwable failure, FailureAnalysis analysis, CapturedOutput output,
			String... secrets) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(secrets);
			assertThat(cause.toString()).doesNotContain(secrets);
		}
		assertThat(analysis.getDescription()).doesNotContain(secrets);
		assertThat(analysis.getAction()).doesNotContain(secrets);
		assertThat(output.toString()).doesNotContain(secrets);
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=uris", "poolguard.monitor.interval=200ms")
			.properties(properties)
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	static class App {

	}

}
