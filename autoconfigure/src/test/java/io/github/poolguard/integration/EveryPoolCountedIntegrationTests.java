package io.github.poolguard.integration;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardEndpointAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardHealthAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardLeakAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMetricsAutoConfiguration;
import io.github.poolguard.autoconfigure.PoolGuardMonitorAutoConfiguration;
import io.github.poolguard.internal.budget.ConnectionBudgetExceededException;
import io.github.poolguard.test.FailureAnalyses;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two modules that each build a pool of 10 next to the application's, against a server with
 * {@code max_connections} 30 (24 usable): PoolGuard's pools alone (14) fit, all four (34) do
 * not, and the budget says so pool by pool.
 */
@ExtendWith(OutputCaptureExtension.class)
class EveryPoolCountedIntegrationTests {

	private static PostgresServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class))
		.withPropertyValues("spring.application.name=modules");

	@BeforeAll
	static void startServer() {
		server = TestPostgres.start(Map.of("max_connections", "30"));
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	private ApplicationContextRunner onServer() {
		return this.runner.withPropertyValues(server.datasourceProperties(server.jdbcUrl()));
	}

	@Test
	void poolGuardsOwnPoolsFitWithoutTheModules(CapturedOutput output) {
		onServer().run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("PoolGuard: connection budget app 10 + background 3 + monitor 1 = 14 per instance"
				+ " <= 24 usable");
	}

	@Test
	void twoModulePoolsMakeTheBudgetFailWithAnArithmeticThatNamesThem() {
		onServer().withUserConfiguration(ModulePools.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(ConnectionBudgetExceededException.class);
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("app 10 + background 3 + monitor 1 + moduleA 10 + moduleB 10"
					+ " = 34 per instance > 24 usable = max_connections 30 − 3 superuser-reserved − 3 kept free");
			assertThat(analysis.getAction()).contains("spring.datasource.hikari.maximum-pool-size (app pool, now 10)")
				.contains("poolguard.background.hikari.maximum-pool-size (background pool, now 3)")
				.contains("remove the 'moduleA' pool (now 10")
				.contains("remove the 'moduleB' pool (now 10")
				.contains("Bring the demand down by at least 10 connection(s)");
		});
	}

	@Test
	void withWarnEveryPoolIsInTheHealthDetailsByBeanName(CapturedOutput output) {
		onServer().withUserConfiguration(ModulePools.class)
			.withPropertyValues("poolguard.budget.on-overcommit=warn")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Map<String, Object> details = context.getBean(ConnectionsAssessment.class).assess().toDetails();
				assertThat(details).extractingByKey("pools")
					.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.containsOnlyKeys("app", "background", "moduleA", "moduleB")
					.extractingByKey("moduleB")
					.isEqualTo(Map.of("active", 0, "idle", 0, "pending", 0, "max", 10, "refusedLogins", 0L));
				assertThat(details).extractingByKey("budget")
					.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.containsEntry("perInstance", 34)
					.containsEntry("overcommitted", true);
			});
		assertThat(output).containsOnlyOnce("PoolGuard: connection budget overcommitted: app 10 + background 3"
				+ " + monitor 1 + moduleA 10 + moduleB 10 = 34 per instance > 24 usable");
	}

	@Configuration(proxyBeanMethods = false)
	static class ModulePools {

		@Bean(defaultCandidate = false)
		HikariDataSource moduleA() {
			return pool();
		}

		@Bean(autowireCandidate = false)
		HikariDataSource moduleB() {
			return pool();
		}

		private static HikariDataSource pool() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(server.jdbcUrl());
			pool.setUsername(server.username());
			pool.setPassword(server.password());
			pool.setMaximumPoolSize(10);
			return pool;
		}

	}

}
