package io.github.poolguard.benchmarks.ingest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated daily quote; the same ticker and date always give the same values.
 */
record QuoteRow(String ticker, LocalDate date, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
		BigDecimal adjustedClose, long volume) {

	static List<QuoteRow> history(String ticker, LocalDate from, LocalDate to) {
		List<QuoteRow> rows = new ArrayList<>();
		long seed = Math.abs((long) ticker.hashCode() * 2654435761L % 1_000_003L);
		for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
			if (date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY) {
				continue;
			}
			long day = date.toEpochDay();
			double close = (5 + seed % 95) * (1 + 0.15 * Math.sin(day / 23.0 + seed % 11));
			double open = close * (1 + 0.01 * Math.sin(day * 3.1 + seed));
			rows.add(new QuoteRow(ticker, date, money(open), money(Math.max(open, close) * 1.012),
					money(Math.min(open, close) * 0.988), money(close), money(close * 0.98),
					100_000 + Math.abs((seed * 31 + day * 7919) % 5_000_000)));
		}
		return rows;
	}

	private static BigDecimal money(double value) {
		return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP);
	}

}
