package io.github.poolguard.integration;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.internal.pool.InstanceIds;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code poolguard.pgbouncer.mode} and {@code poolguard.instance-id} change in the pools,
 * against the shared server (no PgBouncer needed to see the settings).
 */
class PgBouncerModeIntegrationTests {

	private static PostgresServer server;

	private static String url;

	@BeforeAll
	static void database() {
		server = TestPostgres.shared();
		url = server.createDatabase("pgbouncer_mode");
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class, DataSourceAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class))
			.withPropertyValues(server.datasourceProperties(url))
			.withPropertyValues("spring.application.name=mode-test");
	}

	@Test
	void inTransactionModeThePoolsSendNoStartupOptionsAndNoNamedPreparedStatements() {
		runner().withPropertyValues("poolguard.pgbouncer.mode=transaction", "poolguard.monitor.url=" + url,
				"poolguard.instance-id=pod-1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource app = context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME,
						HikariDataSource.class);
				assertThat(app.getDataSourceProperties()).containsEntry("prepareThreshold", "0")
					.doesNotContainKey("options");
				assertThat(context.getBean(JdbcTemplate.class)
					.queryForObject("SELECT current_setting('statement_timeout') || ' ' || application_name"
							+ " FROM pg_stat_activity WHERE pid = pg_backend_pid()", String.class))
					.isEqualTo("0 mode-test:app:pod-1");
			});
	}

	@Test
	void transactionModeWithoutADirectMonitorUrlFailsNamingTheProperty() {
		runner().withPropertyValues("poolguard.pgbouncer.mode=transaction").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("poolguard.monitor.url");
		});
	}

	@Test
	void severalInstancesGiveEveryNameThisProcesssId() {
		runner().withPropertyValues("poolguard.budget.instances=2").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(JdbcTemplate.class)
				.queryForObject("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()",
						String.class))
				.isEqualTo("mode-test:app:" + InstanceIds.ofProcess());
		});
	}

	@Test
	void anInstanceIdWithAColonFailsStartup() {
		runner().withPropertyValues("poolguard.instance-id=a:b").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("poolguard.instance-id");
		});
	}

}
