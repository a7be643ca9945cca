package io.github.poolguard.sample.source;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The latest quote and fundamentals of a ticker, from the supplemental source.
 *
 * @param ticker the ticker
 * @param price the latest price
 * @param marketCap the market capitalisation
 * @param priceEarnings the price/earnings ratio, if known
 * @param dividendYield the dividend yield in percent, if known
 * @param asOf when the quote was taken
 */
public record Fundamentals(String ticker, BigDecimal price, BigDecimal marketCap, BigDecimal priceEarnings,
		BigDecimal dividendYield, Instant asOf) {

}
