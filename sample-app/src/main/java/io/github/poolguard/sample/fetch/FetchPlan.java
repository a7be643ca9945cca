package io.github.poolguard.sample.fetch;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import io.github.poolguard.sample.store.StoredTicker;
import org.jspecify.annotations.Nullable;

/**
 * What one ticker needs from the sources in a run: each part (profile, daily history,
 * fundamentals) is fetched at most once per calendar day, unless the run forces a full fetch.
 *
 * @param ticker the ticker
 * @param profile whether to fetch the company profile
 * @param quotes whether to ask for daily history (from the day after the last one stored)
 * @param fundamentals whether to fetch fundamentals
 */
public record FetchPlan(String ticker, boolean profile, boolean quotes, boolean fundamentals) {

	/**
	 * Plan a ticker from what is stored.
	 * @param stored when its parts were last fetched
	 * @param request the run's request
	 * @param today the run's day
	 * @param zone the zone days are counted in
	 * @return the plan
	 */
	public static FetchPlan of(StoredTicker stored, FetchRequest request, LocalDate today, ZoneId zone) {
		boolean all = request.forceFull();
		return new FetchPlan(stored.ticker(), all || stale(stored.profileFetchedAt(), today, zone),
				all || stale(stored.quotesFetchedAt(), today, zone),
				request.useBrapi() && (all || stale(stored.fundamentalsFetchedAt(), today, zone)));
	}

	/**
	 * Return whether the ticker needs no call at all.
	 * @return {@code true} when every part is fresh
	 */
	public boolean isUpToDate() {
		return !this.profile && !this.quotes && !this.fundamentals;
	}

	private static boolean stale(@Nullable Instant fetchedAt, LocalDate today, ZoneId zone) {
		return fetchedAt == null || fetchedAt.atZone(zone).toLocalDate().isBefore(today);
	}

}
