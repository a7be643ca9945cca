package io.github.poolguard.sample;

import java.time.DayOfWeek;
import java.time.LocalDate;

/**
 * The weekdays the simulator gives bars for when asked for the last {@code days} days, which is
 * how many rows a ticker gets.
 */
final class TradingDays {

	private TradingDays() {
	}

	static int inLast(int days) {
		int count = 0;
		LocalDate last = LocalDate.now().minusDays(1);
		for (LocalDate date = LocalDate.now().minusDays(days); !date.isAfter(last); date = date.plusDays(1)) {
			if (date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY) {
				count++;
			}
		}
		return count;
	}

}
