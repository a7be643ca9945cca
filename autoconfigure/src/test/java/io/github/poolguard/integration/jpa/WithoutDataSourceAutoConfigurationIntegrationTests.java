package io.github.poolguard.integration.jpa;

import javax.sql.DataSource;

import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JPA application (repositories on the class path and in its package) whose test
 * configuration excludes {@code DataSourceAutoConfiguration} and Hibernate starts with the
 * starter as it does without it: PoolGuard adds no {@code DataSource}, so no repository looks
 * for an {@code entityManagerFactory}, and nothing connects to the configured server.
 */
@SpringBootTest(properties = "spring.application.name=no-datasource-test")
class WithoutDataSourceAutoConfigurationIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		server.registerFreshDatabase(registry, "no_datasource");
	}

	@Autowired
	private ApplicationContext context;

	@Test
	void startsWithoutADataSourceOrRepositoriesAndNeverConnects() {
		assertThat(this.context.getBeanNamesForType(DataSource.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(NoteRepository.class)).isEmpty();
		assertThat(server.countConnectionsStartingWith("no-datasource-test")).isZero();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration(exclude = { DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class })
	static class ApplicationWithoutDataSource {

	}

}
