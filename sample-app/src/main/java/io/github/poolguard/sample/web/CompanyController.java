package io.github.poolguard.sample.web;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.poolguard.sample.store.Company;
import io.github.poolguard.sample.store.CompanyFundamentalsRepository;
import io.github.poolguard.sample.store.CompanyRepository;
import io.github.poolguard.sample.store.DailyQuote;
import io.github.poolguard.sample.store.DailyQuoteRepository;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Read API over the stored market data, served from the app pool.
 */
@RestController
@RequestMapping("/api/companies")
class CompanyController {

	private final CompanyRepository companies;

	private final CompanyFundamentalsRepository fundamentals;

	private final DailyQuoteRepository quotes;

	private final Clock clock;

	CompanyController(CompanyRepository companies, CompanyFundamentalsRepository fundamentals,
			DailyQuoteRepository quotes, Clock clock) {
		this.companies = companies;
		this.fundamentals = fundamentals;
		this.quotes = quotes;
		this.clock = clock;
	}

	@GetMapping
	List<Company> all() {
		return this.companies.findAllByOrderByTicker();
	}

	@GetMapping("/{ticker}")
	Map<String, Object> one(@PathVariable String ticker) {
		Company company = this.companies.findById(ticker.toUpperCase(java.util.Locale.ROOT))
			.orElseThrow(() -> unknown(ticker));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ticker", company.getTicker());
		body.put("name", company.getName());
		body.put("sector", company.getSector());
		this.fundamentals.findById(company.getTicker()).ifPresent((snapshot) -> body.put("fundamentals", snapshot));
		return body;
	}

	@GetMapping("/{ticker}/quotes")
	List<DailyQuote> quotes(@PathVariable String ticker,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
		LocalDate end = (to != null) ? to : LocalDate.now(this.clock);
		LocalDate start = (from != null) ? from : end.minusDays(30);
		if (start.isAfter(end)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'from' (" + start + ") is after 'to' (" + end + ")");
		}
		String stored = ticker.toUpperCase(java.util.Locale.ROOT);
		if (!this.companies.existsById(stored)) {
			throw unknown(ticker);
		}
		return this.quotes.findByTickerAndTradeDateBetweenOrderByTradeDate(stored, start, end);
	}

	private static ResponseStatusException unknown(String ticker) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND,
				"No company " + ticker + " is stored (fetch it first: POST /api/fetch-runs {\"tickers\":[\"" + ticker
						+ "\"]})");
	}

}
