package io.github.poolguard.sample.source;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One trading day of a ticker.
 *
 * @param date the trade date
 * @param open the opening price
 * @param high the day's high
 * @param low the day's low
 * @param close the closing price
 * @param adjustedClose the close adjusted for dividends and splits
 * @param volume shares traded
 */
public record DailyBar(LocalDate date, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
		BigDecimal adjustedClose, long volume) {

}
