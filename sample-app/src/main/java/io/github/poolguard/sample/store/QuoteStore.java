package io.github.poolguard.sample.store;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import io.github.poolguard.sample.source.CompanyProfile;
import io.github.poolguard.sample.source.DailyBar;
import io.github.poolguard.sample.source.Fundamentals;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes market data with idempotent upserts ({@code INSERT … ON CONFLICT … DO UPDATE}), in one
 * short transaction per ticker, with JDBC batching for the daily rows.
 */
public class QuoteStore {

	private static final String UPSERT_COMPANY = """
			INSERT INTO company (ticker, name, sector, updated_at) VALUES (?, ?, ?, now())
			ON CONFLICT (ticker) DO UPDATE SET name = excluded.name, sector = excluded.sector, updated_at = now()
			""";

	private static final String UPSERT_QUOTE = """
			INSERT INTO daily_quote (ticker, trade_date, open, high, low, close, adjusted_close, volume)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ticker, trade_date) DO UPDATE SET open = excluded.open, high = excluded.high,
			    low = excluded.low, close = excluded.close, adjusted_close = excluded.adjusted_close,
			    volume = excluded.volume
			""";

	private static final String UPSERT_FUNDAMENTALS = """
			INSERT INTO fundamentals (ticker, price, market_cap, pe_ratio, dividend_yield, as_of)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (ticker) DO UPDATE SET price = excluded.price, market_cap = excluded.market_cap,
			    pe_ratio = excluded.pe_ratio, dividend_yield = excluded.dividend_yield, as_of = excluded.as_of
			""";

	private static final int BATCH_SIZE = 500;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	public QuoteStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * Return the last trade date stored for a ticker.
	 * @param ticker the ticker
	 * @return the date, or empty when nothing is stored
	 */
	public Optional<LocalDate> lastTradeDate(String ticker) {
		LocalDate last = this.jdbc.queryForObject("SELECT max(trade_date) FROM daily_quote WHERE ticker = ?",
				LocalDate.class, ticker);
		return Optional.ofNullable(last);
	}

	/**
	 * Store what was fetched for one ticker, in one transaction.
	 * @param runId the fetch run
	 * @param profile the company
	 * @param bars the daily bars
	 * @param fundamentals the latest fundamentals, or {@code null} when not fetched
	 * @return the daily rows written
	 */
	public int write(long runId, CompanyProfile profile, List<DailyBar> bars, @Nullable Fundamentals fundamentals) {
		Integer rows = this.transactions.execute((status) -> {
			this.jdbc.update(UPSERT_COMPANY, profile.ticker(), profile.name(), profile.sector());
			this.jdbc.batchUpdate(UPSERT_QUOTE, bars, BATCH_SIZE, (statement, bar) -> {
				statement.setString(1, profile.ticker());
				statement.setDate(2, Date.valueOf(bar.date()));
				statement.setBigDecimal(3, bar.open());
				statement.setBigDecimal(4, bar.high());
				statement.setBigDecimal(5, bar.low());
				statement.setBigDecimal(6, bar.close());
				statement.setBigDecimal(7, bar.adjustedClose());
				statement.setLong(8, bar.volume());
			});
			if (fundamentals != null) {
				this.jdbc.update(UPSERT_FUNDAMENTALS, profile.ticker(), fundamentals.price(), fundamentals.marketCap(),
						fundamentals.priceEarnings(), fundamentals.dividendYield(), Timestamp.from(fundamentals.asOf()));
			}
			this.jdbc.update("INSERT INTO fetch_run_ticker (run_id, ticker, outcome, rows) VALUES (?, ?, 'OK', ?)"
					+ " ON CONFLICT (run_id, ticker) DO UPDATE SET outcome = 'OK', rows = excluded.rows",
					runId, profile.ticker(), bars.size());
			return bars.size();
		});
		return (rows != null) ? rows : 0;
	}

}
