package io.github.poolguard.integration;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.internal.budget.ConnectionBudgetExceededException;
import io.github.poolguard.internal.budget.SuperuserNotAllowedException;
import io.github.poolguard.internal.pool.DatabaseUnreachableException;
import io.github.poolguard.test.FailureAnalyses;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The startup check against a small server ({@code max_connections} 20, like a small managed
 * plan), and against servers that cannot be reached.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupCheckIntegrationTests {

	private static final String PASSWORD = "Xq7-distinctive-s3cret";

	private static PostgresServer smallServer;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class, DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class));

	@BeforeAll
	static void startSmallServer() {
		smallServer = TestPostgres.start(Map.of("max_connections", "20", "idle_session_timeout", "60s"));
	}

	@AfterAll
	static void stopSmallServer() {
		if (smallServer != null) {
			smallServer.close();
		}
	}

	private ApplicationContextRunner onSmallServer() {
		return this.runner.withPropertyValues("spring.datasource.url=" + smallServer.jdbcUrl(),
				"spring.datasource.username=" + smallServer.username(), "spring.datasource.password=" + PASSWORD);
	}

	@Test
	void overcommitFailsStartupWithTheArithmeticAndThePropertiesToChange(CapturedOutput output) {
		onSmallServer().withPropertyValues("poolguard.budget.instances=2").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ConnectionBudgetExceededException.class);
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("app 10 + background 3 + monitor 1 = 14 per instance"
					+ " × 2 instances = 28 > 14 usable = max_connections 20 − 3 superuser-reserved − 3 kept free");
			assertThat(analysis.getAction()).contains("spring.datasource.hikari.maximum-pool-size")
				.contains("poolguard.background.hikari.maximum-pool-size")
				.contains("poolguard.budget.instances")
				.contains("poolguard.budget.on-overcommit=warn");
		});
		assertThat(output).doesNotContain(PASSWORD);
	}

	@Test
	void backgroundPoolLargerThanTheBudgetAllowsFailsStartup() {
		onSmallServer().withPropertyValues("poolguard.background.hikari.maximum-pool-size=5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("app 10 + background 5 + monitor 1 = 16 per instance > 14 usable");
		});
	}

	@Test
	void poolSizeOrInstanceCountNearTheIntegerLimitCannotWrapAroundThroughTheCheck() {
		onSmallServer().withPropertyValues("poolguard.background.hikari.maximum-pool-size=2147483647")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(analyze(context.getStartupFailure()).getDescription())
					.contains("app 10 + background 2147483647 + monitor 1 = 2147483658 per instance > 14 usable");
			});
		onSmallServer().withPropertyValues("poolguard.budget.instances=306783379").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("= 14 per instance × 306783379 instances = 4294967306 > 14 usable");
		});
	}

	@Test
	void backgroundPoolLargerThanTheAppPoolIsWarnedAboutOnce(CapturedOutput output) {
		onSmallServer().withPropertyValues("spring.datasource.hikari.maximum-pool-size=4",
				"poolguard.background.hikari.maximum-pool-size=5")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce("PoolGuard: the background pool may open 5 connections"
				+ " (poolguard.background.hikari.maximum-pool-size), more than the app pool's 4"
				+ " (spring.datasource.hikari.maximum-pool-size)");
		onSmallServer().withPropertyValues("spring.datasource.hikari.maximum-pool-size=5",
				"poolguard.background.hikari.maximum-pool-size=5")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce("PoolGuard: the background pool may open");
	}

	@Test
	void overcommitWithWarnStartsAndLogsTheArithmetic(CapturedOutput output) {
		onSmallServer().withPropertyValues("poolguard.budget.instances=2", "poolguard.budget.on-overcommit=warn")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT 1", Integer.class)).isOne();
			});
		assertThat(output).contains("PoolGuard: connection budget overcommitted: app 10 + background 3 + monitor 1"
				+ " = 14 per instance × 2 instances = 28 > 14 usable");
	}

	@Test
	void withinBudgetStartsAndLeavesTheStartupConnectionClosed() {
		onSmallServer().withPropertyValues("spring.application.name=fits", "spring.datasource.hikari.maximum-pool-size=5")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// The backend leaves pg_stat_activity shortly after the client closes; a leak stays.
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> smallServer.countConnections("fits:startup") == 0);
			});
	}

	@Test
	void serverIdleSessionTimeoutShorterThanThePoolsKeepaliveIsWarnedAbout(CapturedOutput output) {
		onSmallServer().withPropertyValues("spring.application.name=idle", "spring.datasource.hikari.maximum-pool-size=5",
				"poolguard.background.hikari.keepalive-time=30000")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).containsOnlyOnce("the server ends sessions idle for 60 s (idle_session_timeout) but pool"
				+ " 'idle:app' keeps idle connections for up to 120 s between keepalives")
			.doesNotContain("pool 'idle:background' keeps idle connections");
	}

	@Test
	void superuserFailsStartupWhenNotAllowed() {
		onSmallServer().withPropertyValues("spring.datasource.hikari.maximum-pool-size=5",
				"poolguard.security.allow-superuser=false")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isInstanceOf(SuperuserNotAllowedException.class);
				assertThat(analyze(context.getStartupFailure()).getAction()).contains("spring.datasource.username");
			});
	}

	@Test
	void unreachableDatabaseIsRetriedThenFailsClearlyWithoutThePassword(CapturedOutput output) {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/app?password=" + PASSWORD,
					"spring.datasource.username=app", "spring.datasource.password=" + PASSWORD,
					"poolguard.budget.wait-for-database=1500ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable root = context.getStartupFailure();
				while (!(root instanceof DatabaseUnreachableException) && root.getCause() != null) {
					root = root.getCause();
				}
				assertThat(root).isInstanceOf(DatabaseUnreachableException.class);
				DatabaseUnreachableException unreachable = (DatabaseUnreachableException) root;
				assertThat(unreachable.getAttempts()).isGreaterThan(1);
				assertThat(unreachable.isRetried()).isTrue();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("127.0.0.1:1/app").doesNotContain(PASSWORD);
				assertThat(analysis.getAction()).contains("poolguard.budget.wait-for-database");
				assertThat(context.getStartupFailure().toString()).doesNotContain(PASSWORD);
			});
		assertThat(output).contains("retrying in").doesNotContain(PASSWORD);
	}

	@Test
	void backgroundHostThatAcceptsButNeverAnswersFailsWithinTheLoginTimeoutNamingTheBackgroundUrl(
			CapturedOutput output) throws Exception {
		// the kernel completes the TCP handshake for the backlog: the client is connected, and
		// nobody ever reads or answers
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			onSmallServer()
				.withPropertyValues("poolguard.background.url=jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/app",
						"poolguard.background.password=" + PASSWORD,
						"poolguard.background.hikari.data-source-properties.connectTimeout=1")
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("127.0.0.1:" + silent.getLocalPort())
						.contains("did not answer the login within the login timeout of 1 s (1 attempt(s))")
						.doesNotContain(PASSWORD);
					assertThat(analysis.getAction()).startsWith("Correct poolguard.background.url")
						.doesNotContain("spring.datasource.url is running");
				});
		}
		assertThat(output).doesNotContain(PASSWORD);
	}

	@Test
	void serverAlreadyFullSaysSoAndHowToSeeWhoHoldsTheConnections() throws Exception {
		try (PostgresServer full = TestPostgres.start(Map.of("max_connections", "6", "superuser_reserved_connections", "3"))) {
			full.execute("CREATE ROLE crowd LOGIN");
			full.execute("CREATE ROLE late LOGIN");
			List<Connection> crowd = new ArrayList<>();
			try {
				// every slot open to ordinary roles (max_connections 6 less 3 superuser-reserved)
				for (int i = 0; i < 3; i++) {
					crowd.add(DriverManager.getConnection(full.jdbcUrl(), "crowd", ""));
				}
				this.runner
					.withPropertyValues("spring.datasource.url=" + full.jdbcUrl(), "spring.datasource.username=late",
							"poolguard.budget.wait-for-database=0s")
					.run((context) -> {
						assertThat(context).hasFailed();
						FailureAnalysis analysis = analyze(context.getStartupFailure());
						assertThat(analysis.getDescription()).contains("the server refused because it is full")
							.contains("SQLState 53300")
							.contains("1 attempt(s)")
							.contains("max_connections cannot be read without a connection");
						assertThat(analysis.getAction()).contains("SHOW max_connections")
							.contains("FROM pg_stat_activity")
							.contains("poolguard.budget.wait-for-database");
					});
			}
			finally {
				for (Connection connection : crowd) {
					connection.close();
				}
			}
		}
	}

	@Test
	void missingDatabaseFailsAtOnceWithoutRetrying() {
		PostgresServer server = TestPostgres.shared();
		this.runner
			.withPropertyValues(server.datasourceProperties(server.jdbcUrl("no_such_database")))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("1 attempt(s)").contains("3D000");
				assertThat(analysis.getAction()).contains("spring.datasource.url");
			});
	}

	@Test
	void wrongPasswordFailsAtOnceNamingThePropertiesWithoutEchoingIt(CapturedOutput output) {
		try (PostgresServer checked = TestPostgres.startWithPasswordAuthentication()) {
			this.runner
				.withPropertyValues("spring.datasource.url=" + checked.jdbcUrl(),
						"spring.datasource.username=" + checked.username(), "spring.datasource.password=" + PASSWORD)
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("password authentication failed")
						.contains("28P01")
						.contains("1 attempt(s)")
						.doesNotContain(PASSWORD);
					assertThat(analysis.getAction()).contains("spring.datasource.username")
						.contains("spring.datasource.password");
				});
		}
		assertThat(output).doesNotContain(PASSWORD);
	}

	static FailureAnalysis analyze(Throwable failure, String... properties) {
		return FailureAnalyses.analyze(failure, properties);
	}

}
