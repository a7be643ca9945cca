package io.github.poolguard.sample.source;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.springframework.web.client.RestClient;

/**
 * The primary source over HTTP: {@code GET /v1/companies/{ticker}} and
 * {@code GET /v1/companies/{ticker}/daily?from=YYYY-MM-DD}.
 */
public class WardHttpClient implements WardSource {

	private final RestClient client;

	private final HttpCalls calls;

	public WardHttpClient(RestClient client, HttpCalls calls) {
		this.client = client;
		this.calls = calls;
	}

	@Override
	public CompanyProfile profile(String ticker) {
		WardCompany company = this.calls.call(ticker,
				() -> this.client.get().uri("/v1/companies/{ticker}", ticker).retrieve().body(WardCompany.class));
		this.calls.require(company != null && company.name() != null, ticker, "no company name");
		return new CompanyProfile(ticker, company.name(), company.sector());
	}

	@Override
	public List<DailyBar> history(String ticker, LocalDate from) {
		WardHistory history = this.calls.call(ticker, () -> this.client.get()
			.uri("/v1/companies/{ticker}/daily?from={from}", ticker, from)
			.retrieve()
			.body(WardHistory.class));
		this.calls.require(history != null && history.bars() != null, ticker, "no bars");
		for (WardBar bar : history.bars()) {
			this.calls.require(bar.date() != null && bar.close() != null, ticker, "a bar without date or close");
		}
		return history.bars()
			.stream()
			.map((bar) -> new DailyBar(bar.date(), bar.open(), bar.high(), bar.low(), bar.close(),
					(bar.adjustedClose() != null) ? bar.adjustedClose() : bar.close(), bar.volume()))
			.toList();
	}

	record WardCompany(String ticker, String name, String sector) {
	}

	record WardHistory(String ticker, List<WardBar> bars) {
	}

	record WardBar(LocalDate date, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
			BigDecimal adjustedClose, long volume) {
	}

}
