package io.github.poolguard.autoconfigure;

import java.net.URLClassLoader;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.guard.ExtraPoolsException;
import io.github.poolguard.internal.pool.MisplacedUrlSettingsException;
import io.github.poolguard.routing.AppPool;
import io.github.poolguard.routing.BackgroundPool;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import io.github.poolguard.test.ClassPathWithout;
import io.github.poolguard.test.FailureAnalyses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Conditions and back-offs of {@link PoolGuardAutoConfiguration}, on an in-memory H2 database
 * (server-side features are off there, which is one of the things under test).
 */
@ExtendWith(OutputCaptureExtension.class)
class PoolGuardAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:poolguard;DB_CLOSE_DELAY=-1",
				"spring.application.name=orders");

	@Test
	void oneRoutingDataSourceOverTwoPoolsThatAreNotDefaultCandidates() {
		this.runner.withUserConfiguration(PoolUserConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PoolUser.class).injected).isInstanceOf(WorkloadRoutingDataSource.class);
			assertThat(context.getBeansOfType(HikariDataSource.class)).containsOnlyKeys(
					PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME, PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME);
			assertThat(context.getBean(PoolUser.class).app.getPoolName()).isEqualTo("orders:app");
			assertThat(context.getBean(PoolUser.class).background.getPoolName()).isEqualTo("orders:background");
			assertThat(context.getBean(JdbcTemplate.class).getDataSource())
				.isSameAs(context.getBean(DataSource.class));
		});
	}

	@Test
	void backgroundPoolDefaultsToThreeConnectionsNoIdleAndTwentySecondTimeout() {
		this.runner.withUserConfiguration(PoolUserConfiguration.class).run((context) -> {
			HikariDataSource background = context.getBean(PoolUser.class).background;
			assertThat(background.getMaximumPoolSize()).isEqualTo(3);
			assertThat(background.getMinimumIdle()).isZero();
			assertThat(background.getConnectionTimeout()).isEqualTo(20_000);
			assertThat(background.getJdbcUrl()).isEqualTo("jdbc:h2:mem:poolguard;DB_CLOSE_DELAY=-1");
		});
	}

	@Test
	void hikariSettingsBindOntoEachPool() {
		this.runner.withUserConfiguration(PoolUserConfiguration.class)
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=7",
					"poolguard.background.hikari.maximum-pool-size=2",
					"poolguard.background.hikari.connection-timeout=5000", "poolguard.background.hikari.pool-name=batch")
			.run((context) -> {
				PoolUser pools = context.getBean(PoolUser.class);
				assertThat(pools.app.getMaximumPoolSize()).isEqualTo(7);
				assertThat(pools.background.getMaximumPoolSize()).isEqualTo(2);
				assertThat(pools.background.getConnectionTimeout()).isEqualTo(5_000);
				assertThat(pools.background.getPoolName()).isEqualTo("batch");
			});
	}

	@Test
	void nonPostgresDatabaseGetsNoServerFeaturesAndOneInfoLine(CapturedOutput output) {
		this.runner.withUserConfiguration(PoolUserConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			PoolUser pools = context.getBean(PoolUser.class);
			assertThat(pools.app.getDataSourceProperties()).isEmpty();
			assertThat(context.getBean(PoolGuardStartupCheck.class).getBudget()).isNull();
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT 1", Integer.class)).isOne();
		});
		assertThat(output).containsOnlyOnce("is not PostgreSQL");
	}

	@Test
	void aUserDefinedNonPoolDataSourceIsRoutedWithABackgroundPoolDerivedFromIt(CapturedOutput output) {
		this.runner.withUserConfiguration(UserDataSourceConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSource dataSource = context.getBean("myDataSource", DataSource.class);
				assertThat(dataSource).isInstanceOf(WorkloadRoutingDataSource.class);
				WorkloadRoutingDataSource routing = (WorkloadRoutingDataSource) dataSource;
				assertThat(routing.getPool(Workload.APP)).isInstanceOf(SimpleDriverDataSource.class);
				HikariDataSource background = (HikariDataSource) routing.getPool(Workload.BACKGROUND);
				assertThat(background.getJdbcUrl()).isEqualTo("jdbc:h2:mem:mine");
				assertThat(background.getPoolName()).isEqualTo("orders:background");
				assertThat(Workload.BACKGROUND.call(() -> new JdbcTemplate(dataSource)
					.queryForObject("SELECT 1", Integer.class))).isOne();
			});
		assertThat(output).containsOnlyOnce("PoolGuard governs DataSource 'myDataSource' (SimpleDriverDataSource")
			.contains("Not applied: 'myDataSource' is of type SimpleDriverDataSource, not a HikariCP pool");
	}

	@Test
	void disabledLeavesSpringBootsOwnDataSource() {
		this.runner.withPropertyValues("poolguard.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(DataSource.class);
			assertThat(context).getBean(DataSource.class)
				.isExactlyInstanceOf(HikariDataSource.class);
			assertThat(context).doesNotHaveBean(PoolGuardProperties.class);
		});
	}

	@Test
	void worksWithoutThePostgresDriver() throws Exception {
		try (URLClassLoader loader = ClassPathWithout.loader("postgresql-")) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.as("the PostgreSQL driver is really missing")
				.isThrownBy(() -> Class.forName("org.postgresql.Driver", false, loader));
			ClassLoader previous = Thread.currentThread().getContextClassLoader();
			Thread.currentThread().setContextClassLoader(loader);
			try {
				Object answer = Class.forName(H2ApplicationWithoutPostgresDriver.class.getName(), true, loader)
					.getMethod("run")
					.invoke(null);
				assertThat(answer).isEqualTo("WorkloadRoutingDataSource 1 2");
			}
			finally {
				Thread.currentThread().setContextClassLoader(previous);
			}
		}
	}

	@Test
	void backsOffWithoutHikari() {
		this.runner.withClassLoader(new FilteredClassLoader(HikariDataSource.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(WorkloadRoutingDataSource.class);
		});
	}

	@Test
	void userConnectionDetailsWinOverProperties() {
		this.runner.withUserConfiguration(PoolUserConfiguration.class).withUserConfiguration(UserConnectionDetailsConfiguration.class).run((context) -> {
			PoolUser pools = context.getBean(PoolUser.class);
			assertThat(pools.app.getJdbcUrl()).isEqualTo("jdbc:h2:mem:details");
			assertThat(pools.background.getJdbcUrl()).isEqualTo("jdbc:h2:mem:details");
		});
	}

	@Test
	void extraPoolIsNamedInOneWarning(CapturedOutput output) {
		this.runner.withUserConfiguration(ExtraPoolConfiguration.class, PoolUserConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PoolUser.class).injected).isInstanceOf(WorkloadRoutingDataSource.class);
		});
		assertThat(output).containsOnlyOnce("PoolGuard found 1 connection pool(s)")
			.contains("'reportingPool' (HikariDataSource, max 12)");
	}

	@Test
	void extraPoolFailsStartupWhenConfiguredTo() {
		this.runner.withUserConfiguration(ExtraPoolConfiguration.class)
			.withPropertyValues("poolguard.guard.extra-pools=fail")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(ExtraPoolsException.class);
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'reportingPool' (HikariDataSource, max 12)");
				assertThat(analysis.getAction()).contains("poolguard.guard.extra-pools");
			});
	}

	@Test
	void zeroBackgroundPoolSizeNamesTheProperty() {
		this.runner.withPropertyValues("poolguard.background.hikari.maximum-pool-size=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IllegalArgumentException.class);
			assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("poolguard.background.hikari.maximum-pool-size");
		});
	}

	@Test
	void negativeAppPoolSizeNamesTheProperty() {
		this.runner.withPropertyValues("spring.datasource.hikari.maximum-pool-size=-5").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("spring.datasource.hikari.maximum-pool-size");
		});
	}

	@Test
	void unknownEnumValueNamesTheProperty() {
		this.runner.withPropertyValues("poolguard.budget.on-overcommit=ignore").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IllegalArgumentException.class);
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("poolguard.budget.on-overcommit").contains("ignore");
		});
	}

	@Test
	void negativeTimeoutNamesTheProperty() {
		this.runner.withPropertyValues("poolguard.app.statement-timeout=-1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("poolguard.app.statement-timeout")
				.contains("must not be negative");
		});
	}

	@Test
	void zeroDurationsWhereTheyMakeNoSenseNameTheProperty() {
		for (String property : new String[] { "poolguard.monitor.query-timeout", "poolguard.leak.threshold" }) {
			this.runner.withPropertyValues(property + "=0s").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(analyze(context.getStartupFailure()).getDescription()).contains(property)
					.contains("must be positive");
			});
		}
	}

	@Test
	void monitorIntervalWithoutAUnitOrBelowTheFloorNamesThePropertyAndTheUnit() {
		for (String value : new String[] { "10", "0s", "99ms" }) {
			this.runner.withPropertyValues("poolguard.monitor.interval=" + value).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(analyze(context.getStartupFailure()).getDescription()).contains("poolguard.monitor.interval")
					.contains("at least 100ms")
					.contains("a number without a unit means milliseconds");
			});
		}
		this.runner.withPropertyValues("poolguard.monitor.interval=100ms")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void urlOfADatabaseWhoseDriverIsMissingNamesThePropertyAndTheDriverWithoutThePassword() {
		String url = "spring.datasource.url=jdbc:mysql://db.example.com:3306/shop?user=shop&password=My5ql-Secret";
		this.runner.withPropertyValues(url, "spring.datasource.password=My5ql-Secret").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure(), url);
			assertThat(analysis.getDescription()).contains("com.mysql.cj.jdbc.Driver is not on the class path")
				.contains("spring.datasource.url (jdbc:mysql://db.example.com:3306/shop?user=shop&password=******)")
				.doesNotContain("My5ql-Secret");
			assertThat(analysis.getAction()).startsWith("Correct spring.datasource.url");
		});
	}

	@Test
	void zeroInstancesNamesTheProperty() {
		this.runner.withPropertyValues("poolguard.budget.instances=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("poolguard.budget.instances")
				.contains("at least 1");
		});
	}

	@Test
	void poolOptionsInThePostgresUrlNameThePropertyAndNeverShowThePassword() {
		String url = "spring.datasource.url=jdbc:postgresql://app:hunter2@localhost:1/app?currentSchema=public"
				+ "?connection_limit=5&password=hunter2";
		this.runner.withPropertyValues(url).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(MisplacedUrlSettingsException.class);
			FailureAnalysis analysis = analyze(context.getStartupFailure(), url);
			assertThat(analysis.getDescription()).contains("spring.datasource.url")
				.contains("second '?'")
				.contains("connection_limit")
				.doesNotContain("hunter2");
			assertThat(analysis.getAction()).contains("spring.datasource.hikari.");
			assertThat(context.getStartupFailure()).hasStackTraceContaining("connection_limit");
			assertThat(stackTrace(context.getStartupFailure())).doesNotContain("hunter2");
		});
	}

	@Test
	void optionsInTheUrlWouldDropTheServerSideLimitsAndFailStartup() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://localhost:1/app?options=-c%20search_path=x")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(analyze(context.getStartupFailure()).getDescription()).contains("parameter 'options'");
			});
	}

	private static String stackTrace(Throwable failure) {
		java.io.StringWriter writer = new java.io.StringWriter();
		failure.printStackTrace(new java.io.PrintWriter(writer));
		return writer.toString();
	}

	static FailureAnalysis analyze(Throwable failure, String... properties) {
		return FailureAnalyses.analyze(failure, properties);
	}

	@Configuration(proxyBeanMethods = false)
	static class PoolUserConfiguration {

		@Bean
		PoolUser poolUser(DataSource injected, @AppPool DataSource app, @BackgroundPool HikariDataSource background) {
			return new PoolUser(injected, (HikariDataSource) app, background);
		}

	}

	record PoolUser(DataSource injected, HikariDataSource app, HikariDataSource background) {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSourceConfiguration {

		@Bean
		SimpleDriverDataSource myDataSource() {
			return new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:mine");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionDetailsConfiguration {

		@Bean
		JdbcConnectionDetails myConnectionDetails() {
			return new JdbcConnectionDetails() {

				@Override
				public String getUsername() {
					return "sa";
				}

				@Override
				public String getPassword() {
					return "";
				}

				@Override
				public String getJdbcUrl() {
					return "jdbc:h2:mem:details";
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExtraPoolConfiguration {

		@Bean(defaultCandidate = false)
		HikariDataSource reportingPool() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:h2:mem:reporting");
			pool.setMaximumPoolSize(12);
			return pool;
		}

	}

}
