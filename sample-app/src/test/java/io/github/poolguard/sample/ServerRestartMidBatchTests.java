package io.github.poolguard.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.sample.fetch.FetchHandle;
import io.github.poolguard.sample.fetch.FetchJob;
import io.github.poolguard.sample.fetch.FetchRequest;
import io.github.poolguard.test.RestartableServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database restarts in the middle of a fetch: app requests fail fast during the outage, the
 * pool serves again after it, and the batch ends with every ticker stored exactly once.
 */
class ServerRestartMidBatchTests {

	private static final int TICKERS = 30;

	private static final int HISTORY_DAYS = 20;

	@Test
	void theBatchSurvivesARestartAndStoresEveryTickerExactlyOnce() throws Exception {
		try (RestartableServer server = RestartableServer.start();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
					.web(WebApplicationType.NONE)
					.run("--spring.datasource.url=" + server.jdbcUrl(), "--spring.datasource.username=postgres",
							"--spring.datasource.password=postgres", "--spring.application.name=restart-batch",
							"--spring.main.banner-mode=off", "--sample.universe.size=" + TICKERS,
							"--sample.fetch.history-days=" + HISTORY_DAYS, "--sample.sources.simulator-latency=100ms",
							"--spring.datasource.hikari.connection-timeout=2000",
							"--poolguard.batch.max-attempts=10", "--poolguard.batch.initial-backoff=200ms",
							"--poolguard.monitor.interval=500ms")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			FetchHandle handle = context.getBean(FetchJob.class).start(new FetchRequest(List.of(), false, true));
			Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> handle.progress().done() >= 5);
			int retriesBeforeTheOutage = handle.progress().retries();
			server.stop();
			// an app request during the outage fails rather than hangs: it is done well within a
			// generous bound, with the driver's or the pool's failure
			CompletableFuture<Integer> appRequest = CompletableFuture
				.supplyAsync(() -> jdbc.queryForObject("SELECT count(*) FROM company", Integer.class));
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(appRequest::isDone);
			assertThat(appRequest).failsWithin(Duration.ZERO)
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(DataAccessException.class);
			// the outage lasts until the batch has met it: a retry across it is then certain
			Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> handle.progress().retries() > retriesBeforeTheOutage);
			server.restart();
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> jdbc.queryForObject("SELECT 1", Integer.class) == 1);
			BatchReport<String> report = handle.await();
			assertThat(report.failures()).isEmpty();
			assertThat(report.progress().succeeded()).isEqualTo(TICKERS);
			assertThat(report.progress().retries()).as("retries made across the outage").isPositive();
			assertThat(jdbc.queryForObject("SELECT count(*) FROM daily_quote", Integer.class))
				.isEqualTo(TICKERS * TradingDays.inLast(HISTORY_DAYS));
			assertThat(jdbc.queryForObject("SELECT count(*) FROM company", Integer.class)).isEqualTo(TICKERS);
			System.out.println("Batch retries across the outage: " + report.progress().retries() + ", yields: "
					+ report.progress().yields());
		}
	}


}
