package io.github.poolguard.batch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.poolguard.routing.Workload;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Behaviour of the executor that needs no database: chunks, options, backpressure, cancel.
 */
class ThrottlingExecutorTests {

	private static final BatchOptions OPTIONS = new BatchOptions(2, 3, Duration.ZERO, 3, Duration.ofMillis(10), true);

	private ThrottlingExecutor executor = new ThrottlingExecutor(OPTIONS, 2, 2, Duration.ofSeconds(5), List::of,
			BatchMetrics.NONE);

	@AfterEach
	void stop() {
		this.executor.stop();
	}

	@Test
	void everyItemRunsOnceOnTheBackgroundWorkload() throws Exception {
		AtomicInteger background = new AtomicInteger();
		BatchReport<Integer> report = this.executor.run("ids", List.of(1, 2, 3, 4, 5, 6, 7), (item) -> {
			if (Workload.current() == Workload.BACKGROUND) {
				background.incrementAndGet();
			}
		}).await(Duration.ofSeconds(10));
		assertThat(report.progress().succeeded()).isEqualTo(7);
		assertThat(background).hasValue(7);
		assertThat(report.isSuccessful()).isTrue();
	}

	@Test
	void aFailingItemIsReportedAndNeverStopsTheOthers() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		BatchReport<String> report = this.executor.run("tickers", List.of("PETR4", "BAD1", "VALE3"), (item) -> {
			if (item.equals("BAD1")) {
				attempts.incrementAndGet();
				throw new IllegalArgumentException("unknown ticker " + item);
			}
		}).await(Duration.ofSeconds(10));
		assertThat(report.progress().succeeded()).isEqualTo(2);
		assertThat(report.failures()).singleElement().satisfies((failure) -> {
			assertThat(failure.item()).isEqualTo("BAD1");
			assertThat(failure.attempts()).isOne();
			assertThat(failure.cause()).hasMessage("unknown ticker BAD1");
		});
		assertThat(attempts).as("a permanent failure is not retried").hasValue(1);
	}

	@Test
	void eachChunkStartsOnlyAfterThePreviousOneHasFinished() throws Exception {
		int items = 9;
		long[] started = new long[items];
		long[] finished = new long[items];
		List<Integer> ids = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8);
		this.executor.run("chunks", ids, OPTIONS.withChunkSize(3).withPacing(PacingMode.FIXED), (item) -> {
			started[item] = System.nanoTime();
			Thread.sleep(20);
			finished[item] = System.nanoTime();
		}).await(Duration.ofSeconds(10));
		for (int chunk = 1; chunk < 3; chunk++) {
			long previousChunkEnd = Math.max(finished[chunk * 3 - 1], Math.max(finished[chunk * 3 - 2], finished[chunk * 3 - 3]));
			for (int item = chunk * 3; item < chunk * 3 + 3; item++) {
				assertThat(started[item]).as("item %d starts after chunk %d has finished", item, chunk - 1)
					.isGreaterThan(previousChunkEnd);
			}
		}
	}

	@Test
	void runConcurrencyAboveTheExecutorsLimitIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.executor.run("greedy", List.of(1), OPTIONS.withConcurrency(5), (item) -> {
			}))
			.withMessageContaining("poolguard.batch.max-concurrency");
	}

	@Test
	void aProducerThatOutrunsTheQueueGetsAClearRejection() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AsyncTaskExecutor tasks = this.executor.asTaskExecutor();
		Runnable blocked = () -> {
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		tasks.execute(blocked);
		tasks.execute(blocked);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.executor.getActiveCount() == 2);
		tasks.execute(blocked);
		tasks.execute(blocked);
		assertThat(this.executor.getQueuedCount()).isEqualTo(2);
		assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> tasks.execute(blocked))
			.withMessageContaining("poolguard.batch.queue-capacity=2");
		release.countDown();
	}

	@Test
	void itemsOfTheLastChunkDrainedAtShutdownMakeTheRunStoppedNotCompleted() throws Exception {
		ThrottlingExecutor executor = new ThrottlingExecutor(OPTIONS, 2, 10, Duration.ofMillis(200), List::of,
				BatchMetrics.NONE);
		CountDownLatch release = new CountDownLatch(1);
		Runnable blocked = () -> {
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		executor.asTaskExecutor().execute(blocked);
		executor.asTaskExecutor().execute(blocked);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> executor.getActiveCount() == 2);
		AtomicInteger handled = new AtomicInteger();
		BatchRun<Integer> run = executor.run("last-chunk", List.of(1, 2), OPTIONS.withChunkSize(2),
				(item) -> handled.incrementAndGet());
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> executor.getQueuedCount() == 2);
		executor.stop();
		BatchReport<Integer> report = run.await(Duration.ofSeconds(10));
		assertThat(report.progress().state()).isEqualTo(BatchState.STOPPED);
		assertThat(report.notRun()).containsExactlyInAnyOrder(1, 2);
		assertThat(handled).as("queued items never ran").hasValue(0);
		assertThat(executor.getRuns()).extracting(BatchProgress::name).containsExactly("last-chunk");
		release.countDown();
	}

	@Test
	void pressureThatNeverEndsSlowsARunDownButNeverStopsIt() throws Exception {
		ThrottlingExecutor executor = ThrottlingExecutor.builder(OPTIONS)
			.maxConcurrency(2)
			.queueCapacity(10)
			.shutdownGracePeriod(Duration.ofSeconds(5))
			.pressureSources(() -> List.of(() -> "32 threads waiting for a connection from app pool 'busy:app'"))
			.maxYield(Duration.ofMillis(200))
			.build();
		try {
			BatchReport<Integer> report = executor.run("busy", List.of(1, 2, 3, 4, 5, 6), (item) -> {
			}).await(Duration.ofSeconds(10));
			assertThat(report.progress().succeeded()).isEqualTo(6);
			assertThat(report.progress().yields()).as("one bounded pause per chunk").isEqualTo(2);
		}
		finally {
			executor.stop();
		}
	}

	@Test
	void cancelReportsTheItemsNotStartedAsNotRun() throws Exception {
		BatchRun<Integer> run = this.executor.run("cancelled", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
				OPTIONS.withDelayBetweenChunks(Duration.ofSeconds(30)).withPacing(PacingMode.FIXED), (item) -> {
				});
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> run.progress().succeeded() == 3);
		assertThat(run.cancel()).isTrue();
		BatchReport<Integer> report = run.await(Duration.ofSeconds(10));
		assertThat(report.progress().state()).isEqualTo(BatchState.CANCELLED);
		assertThat(report.progress().succeeded()).isEqualTo(3);
		assertThat(report.notRun()).containsExactly(4, 5, 6, 7, 8, 9);
	}

}
