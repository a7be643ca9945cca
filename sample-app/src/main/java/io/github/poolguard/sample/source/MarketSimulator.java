package io.github.poolguard.sample.source;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.github.poolguard.sample.universe.TickerUniverse;

/**
 * Deterministic offline stand-in for both sources, so the sample runs with no network: the same
 * ticker and date always give the same prices. Each call waits the configured latency, like a
 * remote API would. Tickers outside the universe are unknown, as a 404 would say.
 */
public class MarketSimulator {

	private final TickerUniverse universe;

	private final Duration latency;

	private final Clock clock;

	public MarketSimulator(TickerUniverse universe, Duration latency, Clock clock) {
		this.universe = universe;
		this.latency = latency;
		this.clock = clock;
	}

	/**
	 * Return the simulator as the primary source.
	 * @return a ward source
	 */
	public WardSource asWard() {
		return new WardSource() {

			@Override
			public CompanyProfile profile(String ticker) {
				return MarketSimulator.this.profile(ticker);
			}

			@Override
			public List<DailyBar> history(String ticker, LocalDate from) {
				return MarketSimulator.this.history(ticker, from);
			}

		};
	}

	/**
	 * Return the simulator as the supplemental source.
	 * @return a brapi source
	 */
	public BrapiSource asBrapi() {
		return this::fundamentals;
	}

	public CompanyProfile profile(String ticker) {
		known(ticker, "ward");
		return new CompanyProfile(ticker, this.universe.name(ticker), this.universe.sector(ticker));
	}

	public List<DailyBar> history(String ticker, LocalDate from) {
		known(ticker, "ward");
		List<DailyBar> bars = new ArrayList<>();
		LocalDate last = LocalDate.now(this.clock).minusDays(1);
		for (LocalDate date = from; !date.isAfter(last); date = date.plusDays(1)) {
			if (date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY) {
				bars.add(bar(ticker, date));
			}
		}
		return bars;
	}

	public Fundamentals fundamentals(String ticker) {
		known(ticker, "brapi");
		LocalDate today = LocalDate.now(this.clock);
		BigDecimal price = bar(ticker, today).close();
		long seed = seed(ticker);
		BigDecimal marketCap = price.multiply(BigDecimal.valueOf(100_000_000L + (seed % 900) * 10_000_000L));
		BigDecimal pe = BigDecimal.valueOf(4 + seed % 30).setScale(2, RoundingMode.HALF_UP);
		BigDecimal dividendYield = BigDecimal.valueOf(seed % 120, 1);
		return new Fundamentals(ticker, price, marketCap, pe, dividendYield, Instant.now(this.clock));
	}

	/**
	 * Return the bar of a ticker on a date, as the simulator always gives it.
	 * @param ticker the ticker
	 * @param date the date
	 * @return the bar
	 */
	public static DailyBar bar(String ticker, LocalDate date) {
		long seed = seed(ticker);
		double base = 5 + seed % 95;
		long day = date.toEpochDay();
		double close = base * (1 + 0.15 * Math.sin(day / 23.0 + seed % 11)) * (1 + 0.02 * Math.sin(day * 1.7 + seed));
		double open = close * (1 + 0.01 * Math.sin(day * 3.1 + seed));
		double high = Math.max(open, close) * 1.012;
		double low = Math.min(open, close) * 0.988;
		long volume = 100_000 + Math.abs((seed * 31 + day * 7919) % 5_000_000);
		return new DailyBar(date, money(open), money(high), money(low), money(close), money(close * 0.98), volume);
	}

	private void known(String ticker, String source) {
		pause();
		if (!this.universe.contains(ticker)) {
			throw new UnknownTickerException(source, ticker);
		}
	}

	private void pause() {
		if (this.latency.isZero()) {
			return;
		}
		try {
			Thread.sleep(this.latency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SourceException("Interrupted while waiting for the simulated source", ex);
		}
	}

	private static long seed(String ticker) {
		return Math.abs((long) ticker.hashCode() * 2654435761L % 1_000_003L);
	}

	// four decimals straight from the double: BigDecimal.valueOf(double) formats it as a String
	// first, which made most of what a simulated ticker allocated
	private static BigDecimal money(double value) {
		return BigDecimal.valueOf(Math.round(value * 10_000), 4);
	}

}
