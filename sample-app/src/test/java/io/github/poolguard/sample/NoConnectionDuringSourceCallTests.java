package io.github.poolguard.sample;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.routing.BackgroundPool;
import io.github.poolguard.sample.fetch.FetchHandle;
import io.github.poolguard.sample.fetch.FetchJob;
import io.github.poolguard.sample.fetch.FetchRequest;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a ticker waits on the network it holds no database connection: the original script held
 * one across every API call, which is how it starved the web app.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.application.name=sample-hold", "sample.sources.ward.mode=http" })
class NoConnectionDuringSourceCallTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final WireMockServer wiremock = new WireMockServer(options().dynamicPort());

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		wiremock.start();
		server.registerFreshDatabase(registry, "hold");
		registry.add("sample.sources.ward.base-url", wiremock::baseUrl);
	}

	@AfterAll
	static void stop() {
		wiremock.stop();
	}

	@Autowired
	private FetchJob job;

	@Autowired
	@BackgroundPool
	private HikariDataSource backgroundPool;

	@Test
	void aTickerWaitingOnTheSourceHoldsNoDatabaseConnection() throws Exception {
		wiremock.stubFor(get(urlPathEqualTo("/v1/companies/HOLD3"))
			.willReturn(okJson("{\"ticker\":\"HOLD3\",\"name\":\"Hold SA\",\"sector\":\"Energy\"}")));
		wiremock.stubFor(get(urlPathEqualTo("/v1/companies/HOLD3/daily")).willReturn(okJson(
				"{\"ticker\":\"HOLD3\",\"bars\":[{\"date\":\"2026-01-05\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"adjustedClose\":1,\"volume\":5}]}")
			.withFixedDelay(2000)));
		FetchHandle handle = this.job.start(new FetchRequest(List.of("HOLD3"), false, false));
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> !wiremock.findAll(getRequestedFor(urlPathEqualTo("/v1/companies/HOLD3/daily"))).isEmpty());
		assertThat(handle.progress().state().isFinished()).as("the source call is still in flight").isFalse();
		assertThat(this.backgroundPool.getHikariPoolMXBean().getActiveConnections()).isZero();
		assertThat(server.countConnections("sample-hold:background") - idleConnections("sample-hold:background"))
			.as("background sessions busy or idle in a transaction")
			.isZero();
		BatchReport<String> report = handle.await();
		assertThat(report.progress().succeeded()).isOne();
		assertThat(handle.rowsWritten()).isOne();
	}

	private static int idleConnections(String applicationName) {
		try (var connection = server.connect("poolguard-test-admin");
				var statement = connection.prepareStatement(
						"SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND state = 'idle'")) {
			statement.setString(1, applicationName);
			try (var rs = statement.executeQuery()) {
				rs.next();
				return rs.getInt(1);
			}
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
