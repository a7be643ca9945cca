package io.github.poolguard.sample;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.poolguard.test.ConnectionPeak;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fetch-ward} as a user runs it, in-process, against a real PostgreSQL database of its own.
 */
class FetchWardCliTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final int HISTORY_DAYS = 20;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private String url;

	@TempDir
	Path work;

	private JdbcTemplate jdbc;

	private WireMockServer wiremock;

	@BeforeEach
	void database() {
		this.url = server.createDatabase("cli");
		this.jdbc = new JdbcTemplate(new DriverManagerDataSource(this.url, server.username(), server.password()));
		this.wiremock = new WireMockServer(options().dynamicPort());
		this.wiremock.start();
	}

	@AfterEach
	void stopWiremock() {
		this.wiremock.stop();
	}

	@Test
	void twentyTickersStoreTheExpectedRowsAndARerunWritesNoDuplicate() {
		List<String> tickers = new ArrayList<>(List.of("PETR4", "VALE3", "ITUB4", "BBDC4", "ABEV3", "BBAS3", "B3SA3",
				"WEGE3", "RENT3", "SUZB3", "ITSA4", "ELET3", "RADL3", "EQTL3", "LREN3", "GGBR4", "JBSS3", "PRIO3",
				"RDOR3", "BPAC11"));
		int expected = TradingDays.inLast(HISTORY_DAYS) * tickers.size();
		assertThat(fetch(tickers.toArray(String[]::new))).isEqualTo(SampleCli.OK);
		assertThat(this.out.toString()).contains("20 tickers, ok=20 failed=0 not-run=0")
			.contains(String.format("%,d daily rows written", expected));
		assertThat(count("daily_quote")).isEqualTo(expected);
		assertThat(count("company")).isEqualTo(20);
		assertThat(count("fundamentals")).isEqualTo(20);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM fetch_run_ticker WHERE outcome = 'OK'", Integer.class))
			.isEqualTo(20);

		this.out.reset();
		assertThat(fetch(tickers.toArray(String[]::new))).isEqualTo(SampleCli.OK);
		assertThat(this.out.toString()).contains("20 tickers, ok=0 failed=0 not-run=0 up-to-date=20")
			.contains("; 0 daily rows written");
		assertThat(count("daily_quote")).isEqualTo(expected);

		this.out.reset();
		List<String> forceFull = new ArrayList<>(tickers);
		forceFull.add("--force-full");
		assertThat(fetch(forceFull.toArray(String[]::new))).isEqualTo(SampleCli.OK);
		assertThat(this.out.toString()).contains(String.format("%,d daily rows written", expected));
		assertThat(count("daily_quote")).isEqualTo(expected);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM fetch_run WHERE state = 'COMPLETED'", Integer.class))
			.isEqualTo(3);
	}

	@Test
	void aRerunOnTheSameDayCallsNoSourceForFreshTickersAndWritesNothing() {
		List<String> tickers = List.of("PETR4", "VALE3", "ITUB4");
		for (String ticker : tickers) {
			this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/" + ticker))
				.willReturn(okJson("{\"ticker\":\"" + ticker + "\",\"name\":\"" + ticker + " SA\",\"sector\":\"Energy\"}")));
			this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/" + ticker + "/daily")).willReturn(okJson(history(ticker))));
			this.wiremock.stubFor(get(urlPathEqualTo("/api/quote/" + ticker)).willReturn(okJson("{\"results\":[{\"symbol\":\""
					+ ticker + "\",\"regularMarketPrice\":10.5,\"marketCap\":1000000,\"priceEarnings\":6.1,"
					+ "\"dividendYield\":4.2}]}")));
		}
		String[] args = { "PETR4", "VALE3", "ITUB4", "--sample.sources.ward.mode=http",
				"--sample.sources.ward.base-url=" + this.wiremock.baseUrl(), "--sample.sources.brapi.mode=http",
				"--sample.sources.brapi.base-url=" + this.wiremock.baseUrl() };
		assertThat(fetch(args)).isEqualTo(SampleCli.OK);
		assertThat(calls("/v1/companies/[A-Z0-9]+")).isEqualTo(3);
		assertThat(calls("/v1/companies/[A-Z0-9]+/daily")).isEqualTo(3);
		assertThat(calls("/api/quote/.*")).isEqualTo(3);
		assertThat(count("daily_quote")).isEqualTo(6);

		this.wiremock.resetRequests();
		this.out.reset();
		assertThat(fetch(args)).isEqualTo(SampleCli.OK);
		assertThat(this.wiremock.getAllServeEvents()).isEmpty();
		assertThat(this.out.toString()).contains("3 tickers, ok=0 failed=0 not-run=0 up-to-date=3; 0 daily rows written");
		assertThat(this.jdbc.queryForMap("SELECT rows_written, up_to_date FROM fetch_run ORDER BY id DESC LIMIT 1"))
			.containsEntry("rows_written", 0L)
			.containsEntry("up_to_date", 3);
		assertThat(count("daily_quote")).isEqualTo(6);

		this.jdbc.update("UPDATE fundamentals SET fetched_at = fetched_at - interval '1 day' WHERE ticker = 'VALE3'");
		this.wiremock.resetRequests();
		assertThat(fetch(args)).isEqualTo(SampleCli.OK);
		assertThat(this.wiremock.getAllServeEvents()).singleElement()
			.satisfies((event) -> assertThat(event.getRequest().getUrl()).startsWith("/api/quote/VALE3"));

		this.wiremock.resetRequests();
		List<String> forceFull = new ArrayList<>(List.of(args));
		forceFull.add("--force-full");
		assertThat(fetch(forceFull.toArray(String[]::new))).isEqualTo(SampleCli.OK);
		assertThat(calls("/v1/companies/[A-Z0-9]+")).isEqualTo(3);
		assertThat(calls("/v1/companies/[A-Z0-9]+/daily")).isEqualTo(3);
		assertThat(calls("/api/quote/.*")).isEqualTo(3);
	}

	@Test
	void noBrapiNeverCallsTheSupplementalSource() {
		this.wiremock.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(500)));
		assertThat(fetch("PETR4", "VALE3", "--no-brapi", "--sample.sources.brapi.mode=http",
				"--sample.sources.brapi.base-url=" + this.wiremock.baseUrl()))
			.isEqualTo(SampleCli.OK);
		assertThat(this.wiremock.getAllServeEvents()).isEmpty();
		assertThat(count("fundamentals")).isZero();
		assertThat(count("company")).isEqualTo(2);
	}

	@Test
	void notFoundForOneTickerAndServerErrorThenSuccessForAnotherFailsExactlyOneTicker() {
		this.wiremock.stubFor(get(urlPathMatching("/v1/companies/MISS3.*")).willReturn(aResponse().withStatus(404)));
		this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/FLKY3")).inScenario("flaky")
			.whenScenarioStateIs(STARTED)
			.willReturn(aResponse().withStatus(500))
			.willSetStateTo("recovered"));
		this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/FLKY3")).inScenario("flaky")
			.whenScenarioStateIs("recovered")
			.willReturn(okJson("{\"ticker\":\"FLKY3\",\"name\":\"Flaky SA\",\"sector\":\"Energy\"}")));
		this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/FLKY3/daily")).willReturn(okJson(history("FLKY3"))));
		int exit = fetch("MISS3", "FLKY3", "--no-brapi", "--sample.sources.ward.mode=http",
				"--sample.sources.ward.base-url=" + this.wiremock.baseUrl(), "--sample.sources.ward.initial-backoff=10ms");
		assertThat(exit).isEqualTo(SampleCli.SOME_FAILED);
		assertThat(this.out.toString()).contains("ok=1 failed=1")
			.contains("failed MISS3: ward does not know ticker MISS3");
		this.wiremock.verify(1, getRequestedFor(urlPathEqualTo("/v1/companies/MISS3")));
		this.wiremock.verify(2, getRequestedFor(urlPathEqualTo("/v1/companies/FLKY3")));
		assertThat(count("daily_quote")).isEqualTo(2);
		assertThat(this.jdbc.queryForObject("SELECT outcome FROM fetch_run_ticker WHERE ticker = 'MISS3'", String.class))
			.isEqualTo("FAILED");
	}

	@Test
	void malformedBodyFailsThatTickerWithAClearMessage() {
		this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/BADJ3")).willReturn(okJson("{\"ticker\": [oops")));
		int exit = fetch("BADJ3", "--no-brapi", "--sample.sources.ward.mode=http",
				"--sample.sources.ward.base-url=" + this.wiremock.baseUrl());
		assertThat(exit).isEqualTo(SampleCli.SOME_FAILED);
		assertThat(this.out.toString()).contains("failed BADJ3: ward sent an unreadable answer for BADJ3");
		this.wiremock.verify(1, getRequestedFor(urlPathEqualTo("/v1/companies/BADJ3")));
	}

	@Test
	void rateLimitedCallHonoursRetryAfterAndSucceeds() {
		this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/SLOW3")).inScenario("limited")
			.whenScenarioStateIs(STARTED)
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
			.willSetStateTo("open"));
		this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/SLOW3")).inScenario("limited")
			.whenScenarioStateIs("open")
			.willReturn(okJson("{\"ticker\":\"SLOW3\",\"name\":\"Slow SA\",\"sector\":\"Energy\"}")));
		this.wiremock.stubFor(get(urlPathEqualTo("/v1/companies/SLOW3/daily")).willReturn(okJson(history("SLOW3"))));
		assertThat(fetch("SLOW3", "--no-brapi", "--sample.sources.ward.mode=http",
				"--sample.sources.ward.base-url=" + this.wiremock.baseUrl()))
			.isEqualTo(SampleCli.OK);
		this.wiremock.verify(2, getRequestedFor(urlPathEqualTo("/v1/companies/SLOW3")));
	}

	@Test
	void aFullRunNeverOpensMoreBackgroundConnectionsThanThePoolMaximum() throws Exception {
		try (ConnectionPeak peak = server.samplePeak("cli-peak:background")) {
			assertThat(fetch("--spring.application.name=cli-peak", "--sample.universe.size=60",
					"--poolguard.batch.max-concurrency=3", "--poolguard.batch.delay-between-chunks=0"))
				.isEqualTo(SampleCli.OK);
			assertThat(peak.max()).isBetween(1, 3);
		}
		assertThat(count("company")).isEqualTo(60);
	}

	@Test
	void unknownFlagMalformedTickerAndAnEmptyUniverseExitWithUsage() {
		assertThat(SampleCli.run(new String[] { "PETR4", "--fast" }, print(this.out), print(this.err)))
			.isEqualTo(SampleCli.USAGE);
		assertThat(this.err.toString()).contains("unknown option '--fast'").contains("usage: java -jar");
		this.err.reset();
		assertThat(SampleCli.run(new String[] { "PETR-4" }, print(this.out), print(this.err)))
			.isEqualTo(SampleCli.USAGE);
		assertThat(this.err.toString()).contains("'PETR-4' is not a B3 ticker").contains("usage: java -jar");
		this.err.reset();
		assertThat(fetch("--force-full", "--sample.universe.size=0")).isEqualTo(SampleCli.USAGE);
		assertThat(this.err.toString()).contains("Nothing to fetch").contains("sample.universe.size is 0;");
		this.err.reset();
		assertThat(fetch("--sample.universe.size=-1")).isEqualTo(SampleCli.USAGE);
		assertThat(this.err.toString()).contains("Nothing to fetch")
			.contains("sample.universe.size is -1; set it to 1 or more")
			.doesNotContain("size is 0");
	}

	private int fetch(String... args) {
		int exit = run(args);
		if (exit == SampleCli.USAGE) {
			System.out.println("fetch-ward exited with usage: " + this.err);
		}
		return exit;
	}

	private int run(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.add("--spring.datasource.url=" + this.url);
		all.add("--spring.datasource.username=" + server.username());
		all.add("--spring.datasource.password=" + server.password());
		all.add("--sample.fetch.history-days=" + HISTORY_DAYS);
		all.add("--sample.sources.simulator-latency=0ms");
		all.add("--spring.main.banner-mode=off");
		all.add("--logging.file.name=" + this.work.resolve("fetch-ward.log"));
		return SampleCli.run(all.toArray(String[]::new), print(this.out), print(this.err));
	}

	private int calls(String pathRegex) {
		return this.wiremock.findAll(getRequestedFor(urlPathMatching(pathRegex))).size();
	}

	private int count(String table) {
		return this.jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
	}


	private static String history(String ticker) {
		return "{\"ticker\":\"" + ticker + "\",\"bars\":["
				+ "{\"date\":\"2026-01-05\",\"open\":10.1,\"high\":10.5,\"low\":9.9,\"close\":10.2,\"adjustedClose\":10.0,\"volume\":1000},"
				+ "{\"date\":\"2026-01-06\",\"open\":10.2,\"high\":10.6,\"low\":10.0,\"close\":10.4,\"adjustedClose\":10.2,\"volume\":1200}]}";
	}

	private static PrintStream print(ByteArrayOutputStream buffer) {
		return new PrintStream(buffer, true, StandardCharsets.UTF_8);
	}

}
