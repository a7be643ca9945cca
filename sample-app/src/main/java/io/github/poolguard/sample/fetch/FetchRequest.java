package io.github.poolguard.sample.fetch;

import java.util.List;

/**
 * What a fetch run should do.
 *
 * @param tickers the tickers to fetch; empty for the whole universe
 * @param forceFull whether to refetch all history instead of only the days after the last one
 * stored
 * @param useBrapi whether to call the supplemental source for fundamentals
 */
public record FetchRequest(List<String> tickers, boolean forceFull, boolean useBrapi) {

	public FetchRequest {
		tickers = List.copyOf(tickers);
	}

}
