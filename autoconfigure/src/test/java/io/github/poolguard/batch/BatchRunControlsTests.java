package io.github.poolguard.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The operator controls on a run (Java API), the fixed schedule, the executor's threads and a
 * restart, without a database.
 */
class BatchRunControlsTests {

	// fixed pacing: a plain handler's item counts as database work, which adaptive pacing starts at one at a time
	private static final BatchOptions OPTIONS = new BatchOptions(2, 100, Duration.ZERO, 1, Duration.ZERO, false)
		.withPacing(PacingMode.FIXED);

	private final ThrottlingExecutor executor = new ThrottlingExecutor(OPTIONS, 4, 10, Duration.ofSeconds(5), List::of,
			BatchMetrics.NONE);

	@AfterEach
	void stop() {
		this.executor.stop();
	}

	@Test
	void aPausedRunStartsNoItemUntilResumed() throws Exception {
		CountDownLatch proceed = new CountDownLatch(1);
		AtomicInteger started = new AtomicInteger();
		BatchRun<Integer> run = this.executor.run("paused", IntStream.rangeClosed(1, 10).boxed().toList(), (item) -> {
			started.incrementAndGet();
			proceed.await();
		});
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 2);
		assertThat(run.pause("test")).isTrue();
		proceed.countDown();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> run.progress().succeeded() == 2);
		Awaitility.await()
			.during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(5))
			.until(() -> started.get() == 2 && run.progress().state() == BatchState.PAUSED);
		assertThat(run.resume("test")).isTrue();
		BatchReport<Integer> report = run.await(Duration.ofSeconds(10));
		assertThat(report.progress().state()).isEqualTo(BatchState.COMPLETED);
		assertThat(report.progress().succeeded()).isEqualTo(10);
	}

	@Test
	void aPausedRunCanBeCancelled() throws Exception {
		CountDownLatch proceed = new CountDownLatch(1);
		BatchRun<Integer> run = this.executor.run("paused-cancelled", IntStream.rangeClosed(1, 10).boxed().toList(),
				(item) -> proceed.await());
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.executor.getActiveCount() == 2);
		run.pause("test");
		run.cancel("test");
		proceed.countDown();
		BatchReport<Integer> report = run.await(Duration.ofSeconds(10));
		assertThat(report.progress().state()).isEqualTo(BatchState.CANCELLED);
		assertThat(report.progress().succeeded()).isEqualTo(2);
		assertThat(report.notRun()).hasSize(8);
	}

	@Test
	void loweringTheConcurrencyOfARunningRunBoundsItsItemsInFlight() throws Exception {
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger peakAfterChange = new AtomicInteger();
		CountDownLatch proceed = new CountDownLatch(1);
		List<Integer> items = IntStream.rangeClosed(1, 12).boxed().toList();
		BatchRun<Integer> run = this.executor.run("relimited", items, OPTIONS.withConcurrency(4), (item) -> {
			int now = inFlight.incrementAndGet();
			if (item > 4) {
				peakAfterChange.accumulateAndGet(now, Math::max);
			}
			proceed.await();
			inFlight.decrementAndGet();
		});
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == 4);
		assertThat(run.setConcurrency(1, "test")).isEqualTo(4);
		proceed.countDown();
		BatchReport<Integer> report = run.await(Duration.ofSeconds(10));
		assertThat(report.progress().succeeded()).isEqualTo(12);
		assertThat(peakAfterChange).as("items started after the change ran one at a time").hasValue(1);
	}

	@Test
	void concurrencyBeyondTheExecutorsLimitIsRefused() throws Exception {
		CountDownLatch proceed = new CountDownLatch(1);
		BatchRun<Integer> run = this.executor.run("greedy", List.of(1, 2), (item) -> proceed.await());
		assertThatIllegalArgumentException().isThrownBy(() -> run.setConcurrency(5, "test"))
			.withMessageContaining("between 1 and 4");
		assertThat(run.getConcurrency()).isEqualTo(2);
		proceed.countDown();
		run.await(Duration.ofSeconds(10));
	}

	@Test
	void fixedPacingStartsEachChunkAfterThePreviousOneAndKeepsItsSize() throws Exception {
		List<String> events = new ArrayList<>();
		List<Integer> items = IntStream.range(0, 10).boxed().toList();
		BatchOptions fixed = OPTIONS.withChunkSize(3).withDelayBetweenChunks(Duration.ofMillis(20))
			.withPacing(PacingMode.FIXED);
		BatchReport<Integer> report = this.executor.run("fixed", items, fixed, (item) -> {
			synchronized (events) {
				events.add("start " + item);
			}
			Thread.sleep(5);
			synchronized (events) {
				events.add("end " + item);
			}
		}).await(Duration.ofSeconds(10));
		assertThat(report.progress().succeeded()).isEqualTo(10);
		int inFlight = 0;
		int peak = 0;
		for (int i = 0; i < events.size(); i++) {
			String event = events.get(i);
			int item = Integer.parseInt(event.substring(event.indexOf(' ') + 1));
			if (event.startsWith("start")) {
				peak = Math.max(peak, ++inFlight);
				int chunk = item / 3;
				for (int previous = (chunk - 1) * 3; chunk > 0 && previous < chunk * 3; previous++) {
					assertThat(events.subList(0, i)).as("item %d starts after item %d of the previous chunk ended",
							item, previous)
						.contains("end " + previous);
				}
				for (int later = (chunk + 1) * 3; later < 10; later++) {
					assertThat(events.subList(0, i)).doesNotContain("start " + later);
				}
			}
			else {
				inFlight--;
			}
		}
		assertThat(peak).as("never more than the run's concurrency").isEqualTo(2);
	}

	@Test
	void runsHaveNoThreadOfTheirOwn() throws Exception {
		CountDownLatch proceed = new CountDownLatch(1);
		List<BatchRun<Integer>> runs = new ArrayList<>();
		this.executor.run("warm-up", List.of(1), (item) -> {
		}).await(Duration.ofSeconds(10));
		long threadsBefore = executorThreads();
		for (int i = 0; i < 8; i++) {
			runs.add(this.executor.run("run-" + i, List.of(1, 2, 3), OPTIONS.withConcurrency(1), (item) -> proceed.await()));
		}
		Awaitility.await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> this.executor.getActiveCount() == 4);
		assertThat(executorThreads()).as("8 runs started no thread").isEqualTo(threadsBefore);
		proceed.countDown();
		for (BatchRun<Integer> run : runs) {
			assertThat(run.await(Duration.ofSeconds(10)).progress().succeeded()).isEqualTo(3);
		}
	}

	private static long executorThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("poolguard-batch"))
			.count();
	}

	@Test
	void aStoppedExecutorRunsWorkAfterItIsStartedAgain() throws Exception {
		this.executor.run("before", List.of(1, 2), (item) -> {
		}).await(Duration.ofSeconds(10));
		this.executor.stop();
		assertThat(this.executor.isRunning()).isFalse();
		this.executor.start();
		AtomicInteger handled = new AtomicInteger();
		BatchReport<Integer> report = this.executor.run("after", List.of(1, 2, 3, 4, 5), (item) -> handled.incrementAndGet())
			.await(Duration.ofSeconds(10));
		assertThat(report.progress().state()).isEqualTo(BatchState.COMPLETED);
		assertThat(handled).hasValue(5);
		assertThat(this.executor.asTaskExecutor().submit(() -> "async after restart").get()).isEqualTo("async after restart");
	}

	@Test
	void theDatabaseLimiterGrowsToItsMaximumAndBacksOffToOne() throws Exception {
		ThrottlingExecutor executor = ThrottlingExecutor.builder(OPTIONS.withConcurrency(6).withPacing(PacingMode.ADAPTIVE))
			.maxConcurrency(6)
			.queueCapacity(10)
			.shutdownGracePeriod(Duration.ofSeconds(5))
			.maxDatabaseSteps(3)
			.build();
		DatabaseLimiter limiter = executor.databaseLimiter();
		assertThat(limiter.getLimit()).isEqualTo(2);
		AtomicInteger itemsInFlight = new AtomicInteger();
		AtomicInteger peakItems = new AtomicInteger();
		AtomicInteger peakLimit = new AtomicInteger();
		try {
			BatchReport<Integer> report = executor.run("grow", IntStream.range(0, 60).boxed().toList(),
					(PacedItemHandler<Integer>) (item, context) -> {
						peakItems.accumulateAndGet(itemsInFlight.incrementAndGet(), Math::max);
						// the limit reached, seen while it is in force: on a busy machine a step's jitter
						// may lower it again before the run ends, which is the limiter doing its job
						context.database(() -> {
							peakLimit.accumulateAndGet(limiter.getLimit(), Math::max);
							Thread.sleep(10);
						});
						itemsInFlight.decrementAndGet();
					})
				.await(Duration.ofSeconds(30));
			assertThat(report.progress().succeeded()).isEqualTo(60);
		}
		finally {
			executor.stop();
		}
		assertThat(limiter.getPeakInFlight()).isEqualTo(3);
		assertThat(peakLimit).hasValue(3);
		assertThat(peakItems.get()).as("items in flight are bounded apart from database steps").isGreaterThan(3);
		limiter.backOff();
		assertThat(limiter.getLimit()).isOne();
	}

	@Test
	void theDatabaseLimiterShrinksWhenItsStepsSlowDown() throws Exception {
		DatabaseLimiter limiter = new DatabaseLimiter(3);
		AtomicInteger stepMillis = new AtomicInteger(2);
		AtomicBoolean stepping = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Thread thread = new Thread(() -> {
				while (stepping.get()) {
					try {
						limiter.call(() -> {
							Thread.sleep(stepMillis.get());
							return null;
						});
					}
					catch (Exception ex) {
						return;
					}
				}
			});
			thread.start();
			threads.add(thread);
		}
		try {
			Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> limiter.getLimit() == 3);
			stepMillis.set(60);
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> limiter.getLimit() < 3);
		}
		finally {
			stepping.set(false);
			for (Thread thread : threads) {
				thread.join();
			}
		}
	}

}
