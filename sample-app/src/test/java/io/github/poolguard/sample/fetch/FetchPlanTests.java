package io.github.poolguard.sample.fetch;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import io.github.poolguard.sample.store.StoredTicker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which parts of a ticker a run fetches: each at most once per calendar day of the run's zone.
 */
class FetchPlanTests {

	private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

	private static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

	private static final Instant THIS_MORNING = Instant.parse("2026-03-10T03:30:00Z");

	private static final Instant LAST_NIGHT = Instant.parse("2026-03-10T02:30:00Z");

	private final FetchRequest incremental = new FetchRequest(List.of(), false, true);

	@Test
	void tickerFetchedEarlierTodayIsUpToDate() {
		StoredTicker stored = new StoredTicker("PETR4", THIS_MORNING, THIS_MORNING, THIS_MORNING);
		assertThat(FetchPlan.of(stored, this.incremental, TODAY, SAO_PAULO).isUpToDate()).isTrue();
	}

	@Test
	void partFetchedBeforeLocalMidnightIsFetchedAgain() {
		// 02:30Z is 23:30 the day before in São Paulo
		StoredTicker stored = new StoredTicker("PETR4", THIS_MORNING, THIS_MORNING, LAST_NIGHT);
		assertThat(FetchPlan.of(stored, this.incremental, TODAY, SAO_PAULO))
			.isEqualTo(new FetchPlan("PETR4", false, false, true));
	}

	@Test
	void tickerNeverStoredNeedsEveryPartAndNoBrapiLeavesFundamentalsOut() {
		StoredTicker none = StoredTicker.none("VALE3");
		assertThat(FetchPlan.of(none, this.incremental, TODAY, SAO_PAULO))
			.isEqualTo(new FetchPlan("VALE3", true, true, true));
		assertThat(FetchPlan.of(none, new FetchRequest(List.of(), false, false), TODAY, SAO_PAULO))
			.isEqualTo(new FetchPlan("VALE3", true, true, false));
	}

	@Test
	void fetchedTodayButWithoutFundamentalsIsUpToDateOnlyWithoutBrapi() {
		StoredTicker stored = new StoredTicker("ITUB4", THIS_MORNING, THIS_MORNING, null);
		assertThat(FetchPlan.of(stored, new FetchRequest(List.of(), false, false), TODAY, SAO_PAULO).isUpToDate())
			.isTrue();
		assertThat(FetchPlan.of(stored, this.incremental, TODAY, SAO_PAULO).isUpToDate()).isFalse();
	}

	@Test
	void forceFullFetchesEverythingEvenWhenFresh() {
		StoredTicker stored = new StoredTicker("PETR4", THIS_MORNING, THIS_MORNING, THIS_MORNING);
		assertThat(FetchPlan.of(stored, new FetchRequest(List.of(), true, true), TODAY, SAO_PAULO))
			.isEqualTo(new FetchPlan("PETR4", true, true, true));
	}

}
