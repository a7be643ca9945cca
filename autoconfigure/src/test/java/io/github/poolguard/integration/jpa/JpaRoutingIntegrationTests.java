package io.github.poolguard.integration.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.routing.Workload;
import io.github.poolguard.test.ConnectionPeak;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Data JPA repositories and {@code JdbcClient}, unchanged, on both pools.
 */
@SpringBootTest(properties = { "spring.application.name=jpa-test", "spring.jpa.hibernate.ddl-auto=create" })
class JpaRoutingIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		server.registerFreshDatabase(registry, "jpa");
	}

	@Autowired
	private NoteService service;

	@Autowired
	private NightlyNotes nightly;

	@Autowired
	private NoteRepository repository;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void transactionalRepositoryCallRunsOnTheAppPoolByDefault() {
		assertThat(this.service.saveAndTellConnection("app")).isEqualTo("jpa-test:app");
	}

	@Test
	void transactionalRepositoryCallInsideBackgroundRunsOnTheBackgroundPool() {
		assertThat(Workload.BACKGROUND.get(() -> this.service.saveAndTellConnection("batch")))
			.isEqualTo("jpa-test:background");
		assertThat(this.repository.findAll()).extracting(Note::getText).contains("batch");
	}

	@Test
	void backgroundWorkOnATransactionalMethodOpensTheTransactionOnTheBackgroundPool() {
		assertThat(this.service.saveAsBackgroundWorkAndTellConnection("declared")).isEqualTo("jpa-test:background");
		assertThat(this.repository.findAll()).extracting(Note::getText).contains("declared");
		assertThat(this.repository.currentApplicationName()).isEqualTo("jpa-test:app");
	}

	@Test
	void backgroundWorkOnAClassAppliesToItsTransactionalMethods() {
		assertThat(this.nightly.saveAndTellConnection("nightly")).isEqualTo("jpa-test:background");
		assertThat(this.repository.findAll()).extracting(Note::getText).contains("nightly");
	}

	@Test
	void jdbcClientFollowsTheWorkload() {
		String sql = "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()";
		assertThat(this.jdbc.sql(sql).query(String.class).single()).isEqualTo("jpa-test:app");
		assertThat(Workload.BACKGROUND.get(() -> this.jdbc.sql(sql).query(String.class).single()))
			.isEqualTo("jpa-test:background");
	}

	@Test
	void twentyThreadsOfRepositoryWorkStayWithinTheBackgroundPool() throws Exception {
		ConnectionPeak peak = server.samplePeak("jpa-test:background");
		ExecutorService threads = Executors.newFixedThreadPool(20);
		List<Future<String>> results = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			int n = i;
			results.add(threads.submit(() -> Workload.BACKGROUND.get(() -> this.service.saveAndTellConnection("n" + n))));
		}
		for (Future<String> result : results) {
			assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("jpa-test:background");
		}
		peak.close();
		threads.shutdown();
		assertThat(peak.max()).isBetween(1, 3);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ NoteService.class, NightlyNotes.class })
	static class JpaApplication {

	}

}
