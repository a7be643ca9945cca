package io.github.poolguard.sample.store;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
			INSERT INTO company (ticker, name, sector, updated_at, profile_fetched_at) VALUES (?, ?, ?, now(), ?)
			ON CONFLICT (ticker) DO UPDATE SET name = excluded.name, sector = excluded.sector, updated_at = now(),
			    profile_fetched_at = excluded.profile_fetched_at
			""";

	private static final String UPSERT_QUOTE = """
			INSERT INTO daily_quote (ticker, trade_date, open, high, low, close, adjusted_close, volume)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ticker, trade_date) DO UPDATE SET open = excluded.open, high = excluded.high,
			    low = excluded.low, close = excluded.close, adjusted_close = excluded.adjusted_close,
			    volume = excluded.volume
			""";

	private static final String UPSERT_FUNDAMENTALS = """
			INSERT INTO fundamentals (ticker, price, market_cap, pe_ratio, dividend_yield, as_of, fetched_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (ticker) DO UPDATE SET price = excluded.price, market_cap = excluded.market_cap,
			    pe_ratio = excluded.pe_ratio, dividend_yield = excluded.dividend_yield, as_of = excluded.as_of,
			    fetched_at = excluded.fetched_at
			""";

	private static final String STORED = """
			SELECT c.ticker, c.profile_fetched_at, c.quotes_fetched_at, f.fetched_at AS fundamentals_fetched_at
			FROM company c LEFT JOIN fundamentals f ON f.ticker = c.ticker WHERE c.ticker = ANY (?)
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
	 * Return when each part of the given tickers was last fetched, in one query.
	 * @param tickers the tickers
	 * @return one entry per ticker, in the given order ({@link StoredTicker#none} when not stored)
	 */
	public List<StoredTicker> stored(List<String> tickers) {
		Map<String, StoredTicker> found = new HashMap<>();
		this.jdbc.query((connection) -> {
			var statement = connection.prepareStatement(STORED);
			statement.setArray(1, connection.createArrayOf("varchar", tickers.toArray()));
			return statement;
		}, (row) -> {
			String ticker = row.getString("ticker");
			found.put(ticker, new StoredTicker(ticker, instant(row.getTimestamp("profile_fetched_at")),
					instant(row.getTimestamp("quotes_fetched_at")), instant(row.getTimestamp("fundamentals_fetched_at"))));
		});
		return tickers.stream().map((ticker) -> found.getOrDefault(ticker, StoredTicker.none(ticker))).toList();
	}

	/**
	 * Store what was fetched for one ticker, in one transaction; a part that was not fetched
	 * ({@code null}) is left as stored.
	 * @param runId the fetch run
	 * @param ticker the ticker
	 * @param fetchedAt when the parts were fetched
	 * @param profile the company, or {@code null} when not fetched (it must then be stored)
	 * @param bars the daily bars, or {@code null} when history was not asked for
	 * @param fundamentals the latest fundamentals, or {@code null} when not fetched
	 * @return the daily rows written
	 */
	public int write(long runId, String ticker, Instant fetchedAt, @Nullable CompanyProfile profile,
			@Nullable List<DailyBar> bars, @Nullable Fundamentals fundamentals) {
		Timestamp at = Timestamp.from(fetchedAt);
		Integer rows = this.transactions.execute((status) -> {
			if (profile != null) {
				this.jdbc.update(UPSERT_COMPANY, ticker, profile.name(), profile.sector(), at);
			}
			if (bars != null) {
				this.jdbc.update("UPDATE company SET quotes_fetched_at = ? WHERE ticker = ?", at, ticker);
				writeBars(ticker, bars);
			}
			if (fundamentals != null) {
				this.jdbc.update(UPSERT_FUNDAMENTALS, ticker, fundamentals.price(), fundamentals.marketCap(),
						fundamentals.priceEarnings(), fundamentals.dividendYield(), Timestamp.from(fundamentals.asOf()),
						at);
			}
			int written = (bars != null) ? bars.size() : 0;
			this.jdbc.update("INSERT INTO fetch_run_ticker (run_id, ticker, outcome, rows) VALUES (?, ?, 'OK', ?)"
					+ " ON CONFLICT (run_id, ticker) DO UPDATE SET outcome = 'OK', rows = excluded.rows",
					runId, ticker, written);
			return written;
		});
		return (rows != null) ? rows : 0;
	}

	// Prices go as text typed by the server and dates as LocalDate: pgjdbc's binary NUMERIC
	// encoding divides BigIntegers for every price and java.sql.Date goes through a Calendar, which
	// made most of what a ticker's write allocated (JFR allocation profile, benchmarks/README).
	private void writeBars(String ticker, List<DailyBar> bars) {
		this.jdbc.batchUpdate(UPSERT_QUOTE, bars, BATCH_SIZE, (statement, bar) -> {
			statement.setString(1, ticker);
			statement.setObject(2, bar.date());
			setNumeric(statement, 3, bar.open());
			setNumeric(statement, 4, bar.high());
			setNumeric(statement, 5, bar.low());
			setNumeric(statement, 6, bar.close());
			setNumeric(statement, 7, bar.adjustedClose());
			statement.setLong(8, bar.volume());
		});
	}

	private static void setNumeric(PreparedStatement statement, int index, BigDecimal value) throws SQLException {
		statement.setObject(index, value.toPlainString(), Types.OTHER);
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
