package io.github.poolguard.sample.source;

import java.time.LocalDate;
import java.util.List;

/**
 * The primary market data source ("ward"): company profiles and daily history.
 */
public interface WardSource {

	/**
	 * Return the company behind a ticker.
	 * @param ticker the ticker
	 * @return its profile
	 * @throws UnknownTickerException when the source does not know the ticker
	 */
	CompanyProfile profile(String ticker);

	/**
	 * Return the daily bars of a ticker from a date on, oldest first.
	 * @param ticker the ticker
	 * @param from the first date wanted
	 * @return the bars, possibly none
	 */
	List<DailyBar> history(String ticker, LocalDate from);

}
