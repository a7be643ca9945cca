package io.github.poolguard.sample.source;

/**
 * The supplemental source, brapi-style: the latest quote and fundamentals of a ticker.
 */
public interface BrapiSource {

	/**
	 * Return the latest quote and fundamentals of a ticker.
	 * @param ticker the ticker
	 * @return the fundamentals
	 * @throws UnknownTickerException when the source does not know the ticker
	 */
	Fundamentals fundamentals(String ticker);

}
