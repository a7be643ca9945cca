package io.github.poolguard.integration;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both pools publish Spring Boot's own {@code hikaricp.*} meters, tagged with their pool names.
 */
class PoolMetricsIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardAutoConfiguration.class, DataSourceAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				DataSourcePoolMetricsAutoConfiguration.class))
		.withPropertyValues(server.datasourceProperties(server.jdbcUrl()))
		.withPropertyValues("spring.application.name=metrics-test");

	@Test
	void bothPoolsHaveHikariMetersWithTheirPoolNames() {
		this.runner.run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.queryForObject("SELECT 1", Integer.class);
			Workload.BACKGROUND.run(() -> jdbc.queryForObject("SELECT 1", Integer.class));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("hikaricp.connections.max").tag("pool", "metrics-test:app").gauge().value())
				.isEqualTo(10);
			assertThat(registry.get("hikaricp.connections.max").tag("pool", "metrics-test:background").gauge().value())
				.isEqualTo(3);
		});
	}

}
