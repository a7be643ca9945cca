package io.github.poolguard.sample.source;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.springframework.web.client.RestClient;

/**
 * The supplemental source over HTTP, brapi-style:
 * {@code GET /api/quote/{ticker}?range=1d&interval=1d&fundamental=true} with the token as a bearer
 * token.
 */
public class BrapiHttpClient implements BrapiSource {

	private final RestClient client;

	private final HttpCalls calls;

	public BrapiHttpClient(RestClient client, HttpCalls calls) {
		this.client = client;
		this.calls = calls;
	}

	@Override
	public Fundamentals fundamentals(String ticker) {
		BrapiResponse response = this.calls.call(ticker, () -> this.client.get()
			.uri("/api/quote/{ticker}?range=1d&interval=1d&fundamental=true", ticker)
			.retrieve()
			.body(BrapiResponse.class));
		this.calls.require(response != null && response.results() != null && !response.results().isEmpty(), ticker,
				"no results");
		BrapiQuote quote = response.results().get(0);
		this.calls.require(quote.regularMarketPrice() != null, ticker, "no regularMarketPrice");
		Instant asOf = (quote.regularMarketTime() != null) ? quote.regularMarketTime() : Instant.now();
		return new Fundamentals(ticker, quote.regularMarketPrice(), quote.marketCap(), quote.priceEarnings(),
				quote.dividendYield(), asOf);
	}

	record BrapiResponse(List<BrapiQuote> results) {
	}

	record BrapiQuote(String symbol, String shortName, String longName, BigDecimal regularMarketPrice,
			BigDecimal marketCap, BigDecimal priceEarnings, BigDecimal dividendYield, Instant regularMarketTime) {
	}

}
