package io.github.poolguard.integration;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
import io.github.poolguard.health.ConnectionsHealthIndicator;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Threads waiting for a background connection in more than one sample are a WARNING of the
 * {@code connections} health that names the pool and the number of waiters, and it clears once
 * they are served.
 */
class BackgroundPoolWaitersIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	@Test
	void backgroundWaitersSeenInConsecutiveSamplesWarnAndClearWhenServed() throws Exception {
		String url = server.createDatabase("waiters");
		List<String> properties = new ArrayList<>(List.of(server.datasourceProperties(url)));
		properties.addAll(List.of("spring.application.name=waiters", "poolguard.monitor.interval=100ms",
				"poolguard.background.hikari.maximum-pool-size=2", "poolguard.background.hikari.minimum-idle=0",
				"poolguard.background.hikari.connection-timeout=60000"));
		ExecutorService waiters = Executors.newFixedThreadPool(3);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run()) {
			DataSource background = context.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME,
					DataSource.class);
			ConnectionsHealthIndicator health = context.getBean(ConnectionsHealthIndicator.class);
			List<Future<?>> served = new ArrayList<>();
			try (Connection first = background.getConnection(); Connection second = background.getConnection()) {
				assertThat(server.countConnections("waiters:background")).isEqualTo(2);
				for (int i = 0; i < 3; i++) {
					served.add(waiters.submit(() -> {
						try (Connection connection = background.getConnection()) {
							return connection.isValid(1);
						}
					}));
				}
				await().atMost(Duration.ofSeconds(20))
					.until(() -> health.health().getDetails().get("warnings").toString()
						.contains("3 thread(s) are waiting for a connection of the background pool"
								+ " 'waiters:background'"));
				assertThat(health.health().getStatus()).isEqualTo(ConnectionsHealthIndicator.WARNING);
				assertThat(served).noneMatch(Future::isDone);
			}
			for (Future<?> waiter : served) {
				assertThat(waiter.get(20, TimeUnit.SECONDS)).isEqualTo(true);
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> !health.health().getDetails().get("warnings").toString().contains("background pool"));
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		}
		finally {
			waiters.shutdownNow();
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	static class App {

	}

}
