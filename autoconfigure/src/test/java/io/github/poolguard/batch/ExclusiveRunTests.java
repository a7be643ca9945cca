package io.github.poolguard.batch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exclusive runs against an in-memory claim store: skipped when the name is taken, stopped
 * when the claim is lost, claim freed when the run ends.
 */
class ExclusiveRunTests {

	private static final BatchOptions OPTIONS = new BatchOptions(1, 1, Duration.ZERO, 1, Duration.ZERO, false);

	private final ThrottlingExecutor executor = executor(claims());

	private final AtomicBoolean taken = new AtomicBoolean();

	private final AtomicBoolean held = new AtomicBoolean(true);

	@AfterEach
	void stop() {
		this.executor.stop();
	}

	private static ThrottlingExecutor executor(@Nullable BatchClaims claims) {
		return ThrottlingExecutor.builder(OPTIONS)
			.maxConcurrency(1)
			.queueCapacity(2)
			.shutdownGracePeriod(Duration.ofSeconds(5))
			.claims(claims)
			.build();
	}

	private BatchClaims claims() {
		return (name) -> {
			if (!this.taken.compareAndSet(false, true)) {
				return null;
			}
			return new BatchClaims.BatchClaim() {

				@Override
				public boolean isHeld() {
					return ExclusiveRunTests.this.held.get();
				}

				@Override
				public void close() {
					ExclusiveRunTests.this.taken.set(false);
				}

			};
		};
	}

	@Test
	void whenTheNameIsClaimedElsewhereTheRunIsSkippedWithEveryItemNotRun() throws Exception {
		this.taken.set(true);
		AtomicInteger ran = new AtomicInteger();
		BatchReport<Integer> report = this.executor
			.run("nightly", List.of(1, 2, 3), OPTIONS.withExclusive(true), (item) -> ran.incrementAndGet())
			.await(Duration.ofSeconds(5));
		assertThat(report.progress().state()).isEqualTo(BatchState.SKIPPED);
		assertThat(report.notRun()).containsExactly(1, 2, 3);
		assertThat(ran).hasValue(0);
	}

	@Test
	void theClaimIsFreedWhenTheRunEnds() throws Exception {
		BatchReport<Integer> report = this.executor
			.run("nightly", List.of(1, 2), OPTIONS.withExclusive(true), (item) -> {
			})
			.await(Duration.ofSeconds(5));
		assertThat(report.progress().state()).isEqualTo(BatchState.COMPLETED);
		assertThat(this.taken).isFalse();
	}

	@Test
	void aRunThatLosesItsClaimStopsTakingItems() throws Exception {
		CountDownLatch first = new CountDownLatch(1);
		BatchReport<Integer> report = this.executor.run("nightly", List.of(1, 2, 3), OPTIONS.withExclusive(true),
				(item) -> {
					this.held.set(false);
					first.countDown();
				})
			.await(Duration.ofSeconds(5));
		assertThat(report.progress().state()).isEqualTo(BatchState.STOPPED);
		assertThat(report.progress().succeeded()).isEqualTo(1);
		assertThat(report.notRun()).containsExactly(2, 3);
	}

	@Test
	void theClaimIsCheckedBeforeEachItemNotOnlyEachChunk() throws Exception {
		BatchReport<Integer> report = this.executor
			.run("nightly", List.of(1, 2, 3, 4, 5, 6), OPTIONS.withChunkSize(3).withExclusive(true),
					(item) -> this.held.set(false))
			.await(Duration.ofSeconds(5));
		assertThat(report.progress().state()).isEqualTo(BatchState.STOPPED);
		assertThat(report.progress().succeeded()).isEqualTo(1);
		assertThat(report.notRun()).as("the rest of the first chunk did not start").containsExactly(2, 3, 4, 5, 6);
	}

	@Test
	void withoutAClaimStoreAnExclusiveRunRunsHere() throws Exception {
		ThrottlingExecutor withoutClaims = executor(null);
		BatchReport<Integer> report;
		try {
			report = withoutClaims.run("nightly", List.of(1), OPTIONS.withExclusive(true), (item) -> {
			}).await(Duration.ofSeconds(5));
		}
		finally {
			withoutClaims.stop();
		}
		assertThat(report.progress().state()).isEqualTo(BatchState.COMPLETED);
		assertThat(OPTIONS.exclusive()).isFalse();
		assertThat(OPTIONS.withExclusive(true).withChunkSize(2).exclusive()).isTrue();
	}

}
