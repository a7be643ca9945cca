package io.github.poolguard.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How PoolGuard governs the {@code DataSource} Spring Boot or the application built, rule by
 * rule, on in-memory H2 (server-side features are off there).
 */
@ExtendWith(OutputCaptureExtension.class)
class DataSourceGovernanceTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class,
				PoolGuardMonitorAutoConfiguration.class,
				PoolGuardHealthAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
				PoolGuardMetricsAutoConfiguration.class, PoolGuardEndpointAutoConfiguration.class,
				PoolGuardBatchAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders");

	private final ApplicationContextRunner withBootDataSource = this.runner
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:governance;DB_CLOSE_DELAY=-1");

	// Rule 1: no DataSource from PoolGuard where Boot would have none

	@Test
	void withoutDataSourceAutoConfigurationThereIsNoDataSourceAndOneLineSaysWhy(CapturedOutput output) {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:unused").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DataSource.class);
			assertThat(context).doesNotHaveBean(GovernedAppPool.class);
			assertThat(context).doesNotHaveBean(ServerMonitor.class);
			assertThat(context).doesNotHaveBean(ThrottlingExecutor.class);
			assertThat(context).doesNotHaveBean(PoolGuardStartupCheck.class);
		});
		assertThat(output).containsOnlyOnce("PoolGuard governs no DataSource: the context has no DataSource")
			.contains("Still on: the extra-pool guard.");
	}

	// Rule 2: connection details win exactly as in Boot

	@Test
	void connectionDetailsWinOverHikariUrlAndCredentialProperties() {
		this.withBootDataSource.withUserConfiguration(ConnectionDetailsConfiguration.class)
			.withPropertyValues("spring.datasource.hikari.jdbc-url=jdbc:h2:mem:stray",
					"spring.datasource.hikari.username=stray", "spring.datasource.hikari.password=stray")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource app = context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME,
						HikariDataSource.class);
				assertThat(app.getJdbcUrl()).isEqualTo("jdbc:h2:mem:details");
				assertThat(app.getUsername()).isEqualTo("details");
				HikariDataSource background = context.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME,
						HikariDataSource.class);
				assertThat(background.getJdbcUrl()).isEqualTo("jdbc:h2:mem:details");
				assertThat(background.getUsername()).isEqualTo("details");
			});
	}

	@Test
	void hikariPropertiesApplyWhenNoConnectionDetailsBeanExists() {
		this.withBootDataSource.withPropertyValues("spring.datasource.hikari.jdbc-url=jdbc:h2:mem:fromhikari")
			.run((context) -> assertThat(context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME,
					HikariDataSource.class)
				.getJdbcUrl()).isEqualTo("jdbc:h2:mem:fromhikari"));
	}

	// The background pool is derived from the app pool's actual settings

	@Test
	void backgroundPoolIsDerivedFromTheAppPoolAndKeepsItsOwnSizeAndName() {
		this.withBootDataSource
			.withPropertyValues("spring.datasource.username=sa",
					"spring.datasource.hikari.data-source-properties.someSetting=kept",
					"spring.datasource.hikari.maximum-pool-size=7", "spring.datasource.hikari.connection-init-sql=SELECT 2")
			.run((context) -> {
				HikariDataSource background = context.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME,
						HikariDataSource.class);
				assertThat(background.getJdbcUrl()).isEqualTo("jdbc:h2:mem:governance;DB_CLOSE_DELAY=-1");
				assertThat(background.getUsername()).isEqualTo("sa");
				assertThat(background.getDataSourceProperties()).containsEntry("someSetting", "kept");
				assertThat(background.getConnectionInitSql()).isEqualTo("SELECT 2");
				assertThat(background.getMaximumPoolSize()).isEqualTo(3);
				assertThat(background.getPoolName()).isEqualTo("orders:background");
				HikariDataSource app = context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME,
						HikariDataSource.class);
				assertThat(app.getMaximumPoolSize()).isEqualTo(7);
				assertThat(app.getDataSourceProperties()).isNotSameAs(background.getDataSourceProperties());
			});
	}

	@Test
	void backgroundUrlAndCredentialsOverrideTheDerivedOnes() {
		this.withBootDataSource
			.withPropertyValues("poolguard.background.url=jdbc:h2:mem:batch", "poolguard.background.username=batch")
			.run((context) -> {
				HikariDataSource background = context.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME,
						HikariDataSource.class);
				assertThat(background.getJdbcUrl()).isEqualTo("jdbc:h2:mem:batch");
				assertThat(background.getUsername()).isEqualTo("batch");
			});
	}

	// Rule 3: a user-defined DataSource is governed as far as possible

	@Test
	void aUserHikariPoolThatHasNotStartedIsNamedAndRouted(CapturedOutput output) {
		this.runner.withUserConfiguration(UserHikariConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isInstanceOf(WorkloadRoutingDataSource.class);
			WorkloadRoutingDataSource routing = (WorkloadRoutingDataSource) dataSource;
			HikariDataSource app = (HikariDataSource) routing.getPool(Workload.APP);
			assertThat(app).isSameAs(context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME));
			assertThat(app.getPoolName()).isEqualTo("orders:app");
			HikariDataSource background = (HikariDataSource) routing.getPool(Workload.BACKGROUND);
			assertThat(background.getJdbcUrl()).isEqualTo("jdbc:h2:mem:user");
			assertThat(background.getPoolName()).isEqualTo("orders:background");
			assertThat(context).hasSingleBean(ThrottlingExecutor.class);
		});
		assertThat(output).containsOnlyOnce("PoolGuard governs DataSource 'userPool' (HikariDataSource 'orders:app'")
			.doesNotContain("Not applied");
	}

	@Test
	void aUserHikariPoolThatAlreadyStartedIsRoutedAndTheLineSaysWhatIsNotApplied(CapturedOutput output) {
		this.runner.withUserConfiguration(StartedHikariConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			WorkloadRoutingDataSource routing = (WorkloadRoutingDataSource) context.getBean(DataSource.class);
			HikariDataSource background = (HikariDataSource) routing.getPool(Workload.BACKGROUND);
			assertThat(background.getJdbcUrl()).isEqualTo("jdbc:h2:mem:started");
			assertThat(background.getPoolName()).isEqualTo("orders:background");
			assertThat(((HikariDataSource) routing.getPool(Workload.APP)).getPoolName()).isEqualTo("started");
		});
		assertThat(output).containsOnlyOnce("Not applied: HikariCP pool 'startedPool' had already started");
	}

	@Test
	void aDataSourceWhoseSettingsCannotBeReadGetsABackgroundPoolThroughItAndTheLineSaysSo(CapturedOutput output) {
		this.runner.withUserConfiguration(OpaqueDataSourceConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			WorkloadRoutingDataSource routing = (WorkloadRoutingDataSource) context.getBean(DataSource.class);
			HikariDataSource background = (HikariDataSource) routing.getPool(Workload.BACKGROUND);
			assertThat(background.getJdbcUrl()).isNull();
			assertThat(background.getDataSource()).isSameAs(routing.getPool(Workload.APP));
			assertThat(Workload.BACKGROUND.call(() -> new JdbcTemplate(routing)
				.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS", Integer.class))).isPositive();
			assertThat(background.getHikariPoolMXBean().getTotalConnections()).isPositive();
		});
		assertThat(output).containsOnlyOnce("background pool 'orders:background' (max 3) opening its connections through it")
			.contains("its connection settings cannot be read, so the background pool opens its connections through it"
					+ " and the monitor and budget check are off");
	}

	@Test
	void ofSeveralDataSourcesThePrimaryIsGovernedAndTheOtherIsAnExtraPool(CapturedOutput output) {
		this.withBootDataSource.withUserConfiguration(UserHikariConfiguration.class, SecondPoolConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("userPool")).isInstanceOf(WorkloadRoutingDataSource.class);
				assertThat(context.getBean("reportingPool")).isExactlyInstanceOf(HikariDataSource.class);
			});
		assertThat(output).containsOnlyOnce("PoolGuard governs DataSource 'userPool'")
			.contains("'reportingPool' (HikariDataSource, max 4)");
	}

	@Test
	void ofSeveralDataSourcesWithoutAPrimaryNoneIsGovernedAndTheLineSaysWhy(CapturedOutput output) {
		this.runner.withUserConfiguration(TwoPlainPoolsConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(WorkloadRoutingDataSource.class);
			assertThat(context).doesNotHaveBean(GovernedAppPool.class);
		});
		assertThat(output).containsOnlyOnce("PoolGuard governs no DataSource: the context has DataSources [one, two]");
	}

	// Rule 6: one line

	@Test
	void bootsPoolIsGovernedAndOneLineSaysWhatIsGovernedMonitoredAndCounted(CapturedOutput output) {
		this.withBootDataSource.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("dataSource")).isInstanceOf(WorkloadRoutingDataSource.class);
		});
		assertThat(output)
			.containsOnlyOnce("PoolGuard governs DataSource 'dataSource' (HikariDataSource 'orders:app', max 10):"
					+ " workload routing, holder tracking; background pool 'orders:background'"
					+ " (max 3) derived from it, batch executor on it; monitor off (")
			.contains("budget not checked.");
	}

	@Test
	void bootsLazyConnectionProxyIsGovernedThroughToItsPool(CapturedOutput output) {
		// spring.datasource.connection-fetch is new in Boot 4.1 (the 4.0 row of the matrix has none)
		assumeTrue(ClassUtils.isPresent("org.springframework.boot.jdbc.autoconfigure.LazyConnectionDataSourceConfiguration",
				null), "spring.datasource.connection-fetch needs Spring Boot 4.1");
		this.withBootDataSource.withPropertyValues("spring.datasource.connection-fetch=lazy").run((context) -> {
			assertThat(context).hasNotFailed();
			WorkloadRoutingDataSource routing = (WorkloadRoutingDataSource) context.getBean(DataSource.class);
			assertThat(routing.getPool(Workload.APP)).isInstanceOf(LazyConnectionDataSourceProxy.class);
			assertThat(routing.getPool(Workload.APP).unwrap(HikariDataSource.class).getPoolName())
				.isEqualTo("orders:app");
		});
		assertThat(output).contains("PoolGuard governs DataSource 'dataSource' (LazyConnectionDataSourceProxy 'orders:app'")
			.doesNotContain("Not applied");
	}

	@Test
	void closingTheContextClosesBothPools() {
		HikariDataSource[] pools = new HikariDataSource[2];
		this.withBootDataSource.run((context) -> {
			WorkloadRoutingDataSource routing = (WorkloadRoutingDataSource) context.getBean(DataSource.class);
			pools[0] = (HikariDataSource) routing.getPool(Workload.APP);
			pools[1] = (HikariDataSource) routing.getPool(Workload.BACKGROUND);
			routing.getConnection().close();
			Workload.BACKGROUND.call(() -> {
				routing.getConnection().close();
				return null;
			});
		});
		assertThat(pools[0].isClosed()).isTrue();
		assertThat(pools[1].isClosed()).isTrue();
	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionDetailsConfiguration {

		@Bean
		JdbcConnectionDetails myConnectionDetails() {
			return new JdbcConnectionDetails() {

				@Override
				public String getUsername() {
					return "details";
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
	static class UserHikariConfiguration {

		@Bean
		@Primary
		HikariDataSource userPool() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:h2:mem:user");
			return pool;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StartedHikariConfiguration {

		@Bean
		HikariDataSource startedPool() {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl("jdbc:h2:mem:started");
			config.setPoolName("started");
			config.setMinimumIdle(0);
			return new HikariDataSource(config);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OpaqueDataSourceConfiguration {

		@Bean
		DataSource opaqueDataSource() {
			return new AbstractDataSource() {

				@Override
				public Connection getConnection() throws SQLException {
					return DriverManager.getConnection("jdbc:h2:mem:opaque;DB_CLOSE_DELAY=-1");
				}

				@Override
				public Connection getConnection(String username, String password) throws SQLException {
					return getConnection();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondPoolConfiguration {

		@Bean
		HikariDataSource reportingPool() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:h2:mem:reporting");
			pool.setMaximumPoolSize(4);
			return pool;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoPlainPoolsConfiguration {

		@Bean
		HikariDataSource one() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:h2:mem:one");
			return pool;
		}

		@Bean
		HikariDataSource two() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:h2:mem:two");
			return pool;
		}

	}

}
