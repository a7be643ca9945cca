package io.github.poolguard.sample.source;

/**
 * A company as the primary source describes it.
 *
 * @param ticker the ticker
 * @param name the company name
 * @param sector the sector
 */
public record CompanyProfile(String ticker, String name, String sector) {

}
