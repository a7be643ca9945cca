package io.github.poolguard.internal.leak;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.poolguard.internal.routing.ConnectionDecorator;
import io.github.poolguard.internal.routing.ScheduledWork;
import io.github.poolguard.routing.Workload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Holders are tracked from borrow to close, and a connection closed behind the tracker's back
 * is forgotten rather than reported.
 */
class ConnectionHoldersTests {

	private final ConnectionHolders holders = new ConnectionHolders(Duration.ofMillis(1), false);

	@Test
	void closingATrackedConnectionEndsItsTracking() throws Exception {
		Connection connection = this.holders.track("pool-a", connection(new AtomicBoolean()));
		assertThat(this.holders.getHolders()).singleElement().satisfies((holder) -> {
			assertThat(holder.pool()).isEqualTo("pool-a");
			assertThat(holder.thread()).isEqualTo(Thread.currentThread().getName());
			assertThat(holder.stack()).isNull();
		});
		assertThat(connection.unwrap(Connection.class)).isSameAs(connection);
		connection.close();
		assertThat(this.holders.getHolders()).isEmpty();
	}

	@Test
	void aHolderRecordsItsWorkloadAndWhetherItRunsScheduledWork() {
		this.holders.track("pool-a", connection(new AtomicBoolean()));
		new ScheduledWork(Workload.BACKGROUND).decorate(() -> this.holders.track("pool-b", connection(new AtomicBoolean())))
			.run();
		assertThat(this.holders.getHolders()).extracting(ConnectionHolder::pool, ConnectionHolder::workload,
				ConnectionHolder::scheduled)
			.containsExactlyInAnyOrder(tuple("pool-a", Workload.APP, false), tuple("pool-b", Workload.BACKGROUND, true));
		assertThat(this.holders.countHeld(Workload.BACKGROUND, true)).isOne();
		assertThat(this.holders.countHeld(Workload.APP, false)).isOne();
		assertThat(this.holders.countHeld(Workload.APP, true)).isZero();
		assertThat(ScheduledWork.isRunning()).isFalse();
	}

	@Test
	void aConnectionClosedBehindTheTrackersBackIsForgottenNotReported() throws Exception {
		AtomicBoolean closed = new AtomicBoolean();
		this.holders.track("pool-a", connection(closed));
		closed.set(true);
		this.holders.check();
		assertThat(this.holders.getHolders()).isEmpty();
		assertThat(this.holders.getLeakCount()).isZero();
	}

	@Test
	void aConnectionHeldPastTheThresholdIsCountedOnce() throws Exception {
		this.holders.track("pool-a", connection(new AtomicBoolean()));
		while (this.holders.getLongestHeld().compareTo(Duration.ofMillis(2)) < 0) {
			Thread.onSpinWait();
		}
		this.holders.check();
		this.holders.check();
		assertThat(this.holders.getLeakCount()).isOne();
	}

	@Test
	void aBackgroundConnectionIsJudgedByTheBackgroundThreshold() throws Exception {
		ConnectionHolders holders = new ConnectionHolders(Duration.ofMillis(1), Duration.ofHours(1), false);
		holders.track(Workload.BACKGROUND, "orders:background", connection(new AtomicBoolean()));
		holders.track(Workload.APP, "orders:app", connection(new AtomicBoolean()));
		while (holders.getLongestHeld().compareTo(Duration.ofMillis(2)) < 0) {
			Thread.onSpinWait();
		}
		holders.check();
		assertThat(holders.getLeakCount()).as("only the app connection").isOne();
		assertThat(holders.getHolders()).extracting(ConnectionHolder::pool)
			.containsExactlyInAnyOrder("orders:background", "orders:app");
	}

	@Test
	void moreHeldConnectionsThanOneThreadsSlotsAreAllTrackedAndReleased() throws Exception {
		List<Connection> held = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			held.add(this.holders.track("pool-a", connection(new AtomicBoolean())));
		}
		assertThat(this.holders.getHolders()).hasSize(300);
		assertThat(this.holders.countHeld(Workload.APP, false)).isEqualTo(300);
		for (Connection connection : held) {
			connection.close();
		}
		assertThat(this.holders.getHolders()).isEmpty();
	}

	@Test
	void sampledAppBorrowsAreCountedOnceWhenReturnedAndBackgroundBorrowsNot() throws Exception {
		AppBorrowTimes.Totals before = this.holders.getAppBorrowTimes().totals();
		// a request time tagged odd (a sampled borrow's precise reading) is timed, an even one not
		long requested = System.nanoTime() | 1;
		Connection app = this.holders.track(Workload.APP, "orders:app", connection(new AtomicBoolean()), requested);
		Connection unsampled = this.holders.track(Workload.APP, "orders:app", connection(new AtomicBoolean()),
				requested - 1);
		Connection background = this.holders.track(Workload.BACKGROUND, "orders:background",
				connection(new AtomicBoolean()), requested);
		assertThat(this.holders.getAppBorrowTimes().totals().borrowsSince(before)).as("not returned yet").isZero();
		app.close();
		app.close();
		unsampled.close();
		background.close();
		AppBorrowTimes.Totals totals = this.holders.getAppBorrowTimes().totals();
		assertThat(totals.borrowsSince(before)).isOne();
		assertThat(totals.nanosSince(before)).isBetween(0L, System.nanoTime() - requested);
	}

	@Test
	void aReleaseAfterTheCheckForgotItsConnectionLeavesTheSlotsNewHolderTracked() throws Exception {
		AtomicBoolean closed = new AtomicBoolean();
		Connection swept = this.holders.track("pool-a", connection(closed));
		closed.set(true);
		this.holders.check();
		// the same thread's next borrow takes the slot the check freed
		Connection newcomer = this.holders.track("pool-b", connection(new AtomicBoolean()));
		swept.close();
		assertThat(this.holders.getHolders()).extracting(ConnectionHolder::pool).containsExactly("pool-b");
		newcomer.close();
		assertThat(this.holders.getHolders()).isEmpty();
	}

	@Test
	void whileTrackingRunsABorrowIsTimedByTheTickingCoarseClockNoLaterThanItWasTaken() throws Exception {
		ConnectionHolders holders = new ConnectionHolders(Duration.ofHours(1), false);
		holders.start();
		try {
			assertThat(holders.isClockTicking()).isTrue();
			long first = holders.requestTime(Workload.BACKGROUND);
			await().until(() -> holders.requestTime(Workload.BACKGROUND) != first);
			long lastTick = holders.requestTime(Workload.BACKGROUND);
			assertThat(lastTick & 1).as("an unsampled borrow's time is the coarse clock, even").isZero();
			Connection connection = holders.track(Workload.BACKGROUND, "orders:background",
					connection(new AtomicBoolean()));
			long taken = System.nanoTime();
			Instant takenAt = Instant.now();
			long borrowed = ((TrackedConnection) connection).borrowedNanos;
			assertThat(borrowed).as("no earlier than the tick before the borrow, no later than the borrow")
				.isBetween(lastTick, taken);
			assertThat(holders.getHolders()).singleElement()
				.satisfies((holder) -> assertThat(holder.borrowedAt()).isBeforeOrEqualTo(takenAt));
			connection.close();
			assertThat(holders.getHolders()).isEmpty();
		}
		finally {
			holders.close();
		}
		assertThat(holders.isClockTicking()).isFalse();
		long beforeBorrow = System.nanoTime();
		assertThat(holders.requestTime(Workload.BACKGROUND)).as("precise again once stopped, not a frozen clock")
			.isGreaterThanOrEqualTo(beforeBorrow - 1);
	}

	@Test
	void oneAppBorrowInTheSampleFeedsTheAppBorrowTimesAndBackgroundBorrowsNone() throws Exception {
		ConnectionHolders holders = new ConnectionHolders(Duration.ofHours(1), false);
		holders.start();
		try {
			ConnectionDecorator decorator = holders.decorator((workload) -> "orders:" + workload);
			AppBorrowTimes.Totals before = holders.getAppBorrowTimes().totals();
			long started = System.nanoTime();
			int borrows = 8_000;
			for (int i = 0; i < borrows; i++) {
				decorator.decorate(Workload.BACKGROUND, connection(new AtomicBoolean()),
						decorator.requestTime(Workload.BACKGROUND))
					.close();
			}
			assertThat(holders.getAppBorrowTimes().totals().borrowsSince(before)).as("background").isZero();
			for (int i = 0; i < borrows; i++) {
				decorator.decorate(Workload.APP, connection(new AtomicBoolean()), decorator.requestTime(Workload.APP))
					.close();
			}
			AppBorrowTimes.Totals totals = holders.getAppBorrowTimes().totals();
			// expected 1,000 of 8,000 (binomial, standard deviation about 30): ten deviations either side
			long expected = borrows / ConnectionHolders.APP_TIMING_SAMPLE;
			assertThat(totals.borrowsSince(before)).isBetween(expected - 300, expected + 300);
			assertThat(totals.nanosSince(before)).isBetween(0L, System.nanoTime() - started);
			assertThat(holders.getHolders()).isEmpty();
		}
		finally {
			holders.close();
		}
	}

	private static Connection connection(AtomicBoolean closed) {
		return (Connection) Proxy.newProxyInstance(ConnectionHoldersTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> switch (method.getName()) {
					case "isClosed" -> closed.get();
					case "close" -> {
						closed.set(true);
						yield null;
					}
					default -> null;
				});
	}

}
