package io.github.poolguard.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;

import io.github.poolguard.sample.fetch.FetchHandle;
import io.github.poolguard.sample.fetch.FetchJob;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample in web mode: the REST API keeps answering while a fetch runs, runs do not overlap,
 * health details and the poolguard endpoint need the administrator, and bad input gets its real
 * status and a clear message, for anonymous callers too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=sample-web", "sample.universe.size=40",
				"sample.sources.simulator-latency=40ms", "sample.fetch.history-days=30",
				"sample.admin.password=Wq9-sample-admin-secret",
				// the original script's pace, so that a run is still going while the test looks at it
				"poolguard.batch.pacing=fixed", "poolguard.batch.max-concurrency=2" })
class SampleWebTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final String ADMIN = "Basic "
			+ Base64.getEncoder().encodeToString("admin:Wq9-sample-admin-secret".getBytes(StandardCharsets.UTF_8));

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		server.registerFreshDatabase(registry, "web");
	}

	@LocalServerPort
	private int port;

	@Autowired
	private FetchJob job;

	@Test
	void apiAnswersDuringARunAndASecondRunIsRefused() throws Exception {
		HttpResponse<String> started = http().send("POST", "/api/fetch-runs", ADMIN);
		assertThat(started.statusCode()).isEqualTo(202);
		String location = started.headers().firstValue("Location").orElseThrow();
		assertThat(location).startsWith("/api/fetch-runs/");
		FetchHandle handle = this.job.current();
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> handle.progress().done() >= 3);
		assertThat(handle.progress().state().isFinished()).as("the run is still going").isFalse();

		HttpResponse<String> companies = http().send("GET", "/api/companies", null);
		assertThat(companies.statusCode()).isEqualTo(200);
		assertThat(companies.body()).contains("\"ticker\":\"PETR4\"");
		HttpResponse<String> progress = http().send("GET", location, null);
		assertThat(progress.statusCode()).isEqualTo(200);
		assertThat(progress.body()).contains("\"total\":40").contains("\"state\":\"RUNNING\"");
		assertThat(http().send("POST", "/api/fetch-runs", ADMIN).statusCode()).isEqualTo(409);

		handle.await();
		HttpResponse<String> done = http().send("GET", location, null);
		assertThat(done.body()).contains("\"state\":\"COMPLETED\"").contains("\"ok\":40");
		HttpResponse<String> quotes = http().send("GET", "/api/companies/PETR4/quotes", null);
		assertThat(quotes.statusCode()).isEqualTo(200);
		assertThat(quotes.body()).contains("\"tradeDate\"");
		assertThat(http().send("GET", "/api/companies/PETR4", null).body()).contains("\"fundamentals\"");
	}

	@Test
	void startingARunNeedsTheAdministrator() throws Exception {
		assertThat(http().send("POST", "/api/fetch-runs", null).statusCode()).isEqualTo(401);
	}

	@Test
	void healthStatusIsPublicButDetailsNeedTheAdministrator() throws Exception {
		HttpResponse<String> anonymous = http().send("GET", "/actuator/health", null);
		assertThat(anonymous.statusCode()).isEqualTo(200);
		assertThat(anonymous.body()).contains("\"status\"").doesNotContain("\"components\"");
		HttpResponse<String> admin = http().send("GET", "/actuator/health", ADMIN);
		assertThat(admin.statusCode()).isEqualTo(200);
		assertThat(admin.body()).contains("\"components\"");
		assertThat(admin.body()).doesNotContain("Wq9-sample-admin-secret");
		HttpResponse<String> connections = http().send("GET", "/actuator/health/connections", null);
		assertThat(connections.statusCode()).as("the connections status is public, as the README says").isEqualTo(200);
		assertThat(connections.body()).contains("\"status\"").doesNotContain("maxConnections");
	}

	@Test
	void poolGuardEndpointNeedsTheAdministratorAndShowsTheRunsWithoutSecrets() throws Exception {
		assertThat(http().send("GET", "/actuator/poolguard", null).statusCode()).isEqualTo(401);
		HttpResponse<String> admin = http().send("GET", "/actuator/poolguard", ADMIN);
		assertThat(admin.statusCode()).isEqualTo(200);
		assertThat(admin.body()).contains("\"batches\"").contains("sample-web:app");
		assertThat(admin.body()).doesNotContain("Wq9-sample-admin-secret").doesNotContain(server.password() + "@");
		HttpResponse<String> connections = http().send("GET", "/actuator/health/connections", ADMIN);
		assertThat(connections.statusCode()).isIn(200, 503);
		assertThat(connections.body()).contains("\"maxConnections\"");
	}

	@Test
	void theConsoleIsBehindTheAdministratorsLoginAndCarriesNoReading() throws Exception {
		assertThat(http().send("GET", "/poolguard-console", null).statusCode()).isEqualTo(401);
		HttpResponse<String> admin = http().send("GET", "/poolguard-console", ADMIN);
		assertThat(admin.statusCode()).isEqualTo(200);
		// settings only: the application's name (so the bar tells its connections from others'),
		// never a reading such as its connections ("sample-web:app")
		assertThat(admin.body())
			.contains("data-endpoint=\"/actuator/poolguard\"", "data-write=\"true\"",
					"data-application=\"sample-web\"")
			.doesNotContain("sample-web:");
	}

	@Test
	void prometheusExposesTheSeriesTheAlertRulesUse() throws Exception {
		HttpResponse<String> scrape = http().send("GET", "/actuator/prometheus", null);
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.body()).contains("poolguard_server_usage{application=\"sample-web\"")
			.contains("hikaricp_connections_pending{application=\"sample-web\",pool=\"sample-web:app\"")
			.contains("poolguard_connections_leaks_total{application=\"sample-web\"");
	}

	@Test
	void metricsNeedTheAdministrator() throws Exception {
		assertThat(http().send("GET", "/actuator/metrics", null).statusCode()).isEqualTo(401);
		assertThat(http().send("GET", "/actuator/metrics/hikaricp.connections.max", ADMIN).body())
			.contains("hikaricp.connections.max");
	}

	@Test
	void unknownTickerIs404ForAnonymousCallers() throws Exception {
		HttpResponse<String> company = http().send("GET", "/api/companies/ZZZZ9", null, null);
		assertThat(company.statusCode()).isEqualTo(404);
		assertThat(company.body()).contains("No company ZZZZ9 is stored");
		HttpResponse<String> quotes = http().send("GET", "/api/companies/ZZZZ9/quotes", null, null);
		assertThat(quotes.statusCode()).isEqualTo(404);
		assertThat(quotes.body()).contains("No company ZZZZ9 is stored");
	}

	@Test
	void malformedDateIs400NamingTheParameterForAnonymousCallers() throws Exception {
		HttpResponse<String> response = http().send("GET", "/api/companies/PETR4/quotes?from=2026-13-01", null, null);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("'from' must be a date like 2026-01-31, not '2026-13-01'");
		HttpResponse<String> reversed = http().send("GET", "/api/companies/PETR4/quotes?from=2026-02-01&to=2026-01-01",
				null, null);
		assertThat(reversed.statusCode()).isEqualTo(400);
		assertThat(reversed.body()).contains("'from' (2026-02-01) is after 'to' (2026-01-01)");
		assertThat(http().send("GET", "/api/fetch-runs/latest", null, null).statusCode()).isEqualTo(400);
	}

	@Test
	void startingARunNeedsTheAdminAndItsBodyFieldsAreOptional() throws Exception {
		assertThat(http().send("POST", "/api/fetch-runs", null, "{\"tickers\":[\"PETR4\"]}").statusCode()).isEqualTo(401);
		HttpResponse<String> badJson = http().send("POST", "/api/fetch-runs", ADMIN, "{\"tickers\": [PETR4");
		assertThat(badJson.statusCode()).isEqualTo(400);
		assertThat(badJson.body()).contains("The request body is not valid JSON");
		HttpResponse<String> badTicker = http().send("POST", "/api/fetch-runs", ADMIN, "{\"tickers\":[\"PETR-4\"]}");
		assertThat(badTicker.statusCode()).isEqualTo(400);
		assertThat(badTicker.body()).contains("'PETR-4' is not a B3 ticker");

		HttpResponse<String> started = http().send("POST", "/api/fetch-runs", ADMIN, "{\"tickers\":[\"zzzz9\"]}");
		assertThat(started.statusCode()).isEqualTo(202);
		this.job.current().await();
		HttpResponse<String> run = http().send("GET", started.headers().firstValue("Location").orElseThrow(), null, null);
		assertThat(run.body()).contains("\"total\":1").contains("\"failed\":1");
	}

	@Test
	void oversizedStartRequestsAreRefusedWithAProblemDetailBeforeAnyRunStarts() throws Exception {
		FetchHandle before = this.job.current();
		String huge = "{\"tickers\":[" + String.join(",", Collections.nCopies(250_000, "\"PETR4\"")) + "]}";
		HttpResponse<String> tooLarge = http().send("POST", "/api/fetch-runs", ADMIN, huge);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(tooLarge.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(tooLarge.body()).contains("\"status\":413").contains("larger than 65536 bytes");
		HttpResponse<String> chunked = http().sendChunked("POST", "/api/fetch-runs", ADMIN, huge);
		assertThat(chunked.statusCode()).as("a body without a length stops being read at the limit").isEqualTo(413);
		assertThat(chunked.body()).contains("\"status\":413").contains("larger than 65536 bytes");
		String tooMany = "{\"tickers\":[" + String.join(",", Collections.nCopies(1001, "\"PETR4\"")) + "]}";
		HttpResponse<String> manyTickers = http().send("POST", "/api/fetch-runs", ADMIN, tooMany);
		assertThat(manyTickers.statusCode()).isEqualTo(400);
		assertThat(manyTickers.body()).contains("\"status\":400").contains("At most 1000 tickers may be named, not 1001");
		assertThat(this.job.current()).as("no run started").isSameAs(before);
	}

	private SampleHttp http() {
		return new SampleHttp(this.port);
	}

}
