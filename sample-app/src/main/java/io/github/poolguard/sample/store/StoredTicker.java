package io.github.poolguard.sample.store;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * When each part of a stored ticker was last fetched; {@code null} for a part never fetched.
 *
 * @param ticker the ticker
 * @param profileFetchedAt when its company profile was last fetched
 * @param quotesFetchedAt when its daily history was last asked for
 * @param fundamentalsFetchedAt when its fundamentals were last fetched
 */
public record StoredTicker(String ticker, @Nullable Instant profileFetchedAt, @Nullable Instant quotesFetchedAt,
		@Nullable Instant fundamentalsFetchedAt) {

	/**
	 * Return a ticker with nothing stored.
	 * @param ticker the ticker
	 * @return the record
	 */
	public static StoredTicker none(String ticker) {
		return new StoredTicker(ticker, null, null, null);
	}

}
