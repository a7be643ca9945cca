package io.github.poolguard.internal.leak;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packed, striped sums give exact differences: returns from any slot, the overflow set
 * included, and a hold past the cap counted at the cap.
 */
class AppBorrowTimesTests {

	private final AppBorrowTimes times = new AppBorrowTimes();

	@Test
	void theDifferenceOfTwoReadingsCountsEveryReturnInBetween() {
		this.times.record(3, 1_000);
		AppBorrowTimes.Totals before = this.times.totals();
		this.times.record(0, 2_000_000);
		this.times.record(HeldConnections.SLOTS_PER_LINE * 7 + 5, 3_000_000);
		this.times.record(-1, 5_000_000);
		AppBorrowTimes.Totals after = this.times.totals();
		assertThat(after.borrowsSince(before)).isEqualTo(3);
		assertThat(after.nanosSince(before)).isEqualTo(10_000_000);
	}

	@Test
	void manyReturnsAndLongHoldsStayExactAcrossReadings() {
		AppBorrowTimes.Totals before = this.times.totals();
		for (int i = 0; i < 100_000; i++) {
			this.times.record(i % 2048, 100_000_000L);
		}
		AppBorrowTimes.Totals after = this.times.totals();
		assertThat(after.borrowsSince(before)).isEqualTo(100_000);
		assertThat(after.nanosSince(before)).as("10^13 ns, under the 2^44 a difference holds")
			.isEqualTo(100_000 * 100_000_000L);
		this.times.record(1, Long.MAX_VALUE / 2);
		assertThat(this.times.totals().nanosSince(after)).isEqualTo(AppBorrowTimes.MAX_NANOS);
	}

}
