package io.github.poolguard.batch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.github.poolguard.internal.batch.MicrometerBatchMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pace the app's experience allows steers adaptive runs: their items in flight and the
 * database limit are its share of their maximum (at least one), shown as meters; fixed runs and
 * runs that do not yield to the app keep their concurrency.
 */
@ExtendWith(OutputCaptureExtension.class)
class SteeredPaceTests {

	private static final BatchOptions OPTIONS = new BatchOptions(6, 3, Duration.ZERO, 1, Duration.ofMillis(10), true);

	private final AtomicReference<Double> pace = new AtomicReference<>(1.0);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ThrottlingExecutor executor = ThrottlingExecutor.builder(OPTIONS)
		.maxConcurrency(6)
		.queueCapacity(6)
		.shutdownGracePeriod(Duration.ofSeconds(5))
		.maxDatabaseSteps(12)
		.pace(this.pace::get)
		.build();

	@AfterEach
	void stop() {
		this.executor.stop();
	}

	@Test
	void theMetersShowThePaceAndWhatItAllows() {
		new MicrometerBatchMetrics(this.registry).bind(this.executor);
		assertThat(gauge("poolguard.batch.pace")).isEqualTo(1.0);
		assertThat(gauge("poolguard.batch.items.allowed")).isEqualTo(6);
		assertThat(gauge("poolguard.batch.database.limit")).as("Gradient2 starts at half the pool").isEqualTo(6);
		this.pace.set(0.25);
		assertThat(gauge("poolguard.batch.pace")).isEqualTo(0.25);
		assertThat(gauge("poolguard.batch.items.allowed")).isEqualTo(2);
		assertThat(gauge("poolguard.batch.database.limit")).as("a quarter of 12").isEqualTo(3);
		this.pace.set(0.05);
		assertThat(gauge("poolguard.batch.items.allowed")).as("at least one").isEqualTo(1);
		assertThat(gauge("poolguard.batch.database.limit")).as("at least one").isEqualTo(1);
	}

	@Test
	void anAdaptiveRunHasNoMoreItemsInFlightThanThePaceAllows() throws Exception {
		this.pace.set(0.5);
		assertThat(peakInFlight(OPTIONS)).isEqualTo(3);
	}

	@Test
	void anAdaptiveRunStartsAtAFifthOfThePaceWhenItStartsSlowly(CapturedOutput output) throws Exception {
		// a fifth of 6 rounds up to 2, and a ten-minute ramp-up is past a third (3 items) only
		// after 100 seconds
		ThrottlingExecutor slow = sixAtATime().slowStart(Duration.ofMinutes(10)).build();
		try {
			assertThat(slow.getSlowStart()).isEqualTo(Duration.ofMinutes(10));
			CountDownLatch release = new CountDownLatch(1);
			BatchRun<Integer> starting = slow.run("starting", IntStream.range(0, 6).boxed().toList(), OPTIONS,
					(item) -> release.await());
			assertThat(starting.getItemsAllowed()).as("what the endpoint shows of the run").isEqualTo(2);
			assertThat(output).contains("starting: starting 6 items, 6 at a time in chunks of 3, adaptive pacing")
				.contains("starting at a fifth of the pace, all of it 10m0s in");
			assertThat(starting.getConcurrency()).isEqualTo(6);
			release.countDown();
			starting.await(Duration.ofSeconds(30));
			assertThat(peakInFlight(slow, OPTIONS)).isEqualTo(2);
			assertThat(peakInFlight(slow, OPTIONS.withYieldToApp(false))).as("not steered, not started slowly")
				.isEqualTo(6);
			assertThat(peakInFlight(slow, OPTIONS.withPacing(PacingMode.FIXED).withChunkSize(6))).isEqualTo(6);
		}
		finally {
			slow.stop();
		}
	}

	@Test
	void aRunsSlowStartRampsOnItsClockAndWaitsWhileTheClockStops(CapturedOutput output) throws Exception {
		// latency pacing gives a clock that stops while the app is past tolerance: here one the test
		// moves; the ramp is 4 ns, so on the wall clock it is over before the first item starts
		AtomicLong clock = new AtomicLong(1_000_000_000L);
		ThrottlingExecutor onItsClock = sixAtATime().slowStart(Duration.ofNanos(4), clock::get).build();
		ThrottlingExecutor onTheWallClock = sixAtATime().slowStart(Duration.ofNanos(4)).build();
		try {
			CountDownLatch release = new CountDownLatch(1);
			AtomicInteger started = new AtomicInteger();
			BatchRun<Integer> run = onItsClock.run("ramping", IntStream.range(0, 6).boxed().toList(), OPTIONS, (item) -> {
				started.incrementAndGet();
				release.await();
			});
			assertThat(output).contains("starting at a fifth of the pace, all of it 0.0s in while the application is"
					+ " within tolerance");
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> started.get() == 2);
			// the clock stands still (the app past tolerance): a fifth, however long the wall clock ran
			assertThat(run.getItemsAllowed()).isEqualTo(2);
			assertThat(peakInFlight(onTheWallClock, OPTIONS)).as("the same ramp on the wall clock").isEqualTo(6);
			assertThat(run.getItemsAllowed()).isEqualTo(2);
			clock.addAndGet(2);
			// 0.2 + 0.8 x 2 / 4 = 0.6 of 6: 3.6, rounded up
			assertThat(run.getItemsAllowed()).isEqualTo(4);
			clock.addAndGet(2);
			assertThat(run.getItemsAllowed()).isEqualTo(6);
			release.countDown();
			assertThat(run.await(Duration.ofSeconds(30)).progress().succeeded()).isEqualTo(6);
		}
		finally {
			onItsClock.stop();
			onTheWallClock.stop();
		}
	}

	@Test
	void aFixedRunOrOneThatDoesNotYieldKeepsItsConcurrency() throws Exception {
		this.pace.set(0.5);
		assertThat(peakInFlight(OPTIONS.withPacing(PacingMode.FIXED).withChunkSize(6))).isEqualTo(6);
		assertThat(peakInFlight(OPTIONS.withYieldToApp(false))).isEqualTo(6);
	}

	private ThrottlingExecutor.Builder sixAtATime() {
		return ThrottlingExecutor.builder(OPTIONS).maxConcurrency(6).maxDatabaseSteps(12).pace(this.pace::get);
	}

	// (the database limiter starts at 6 of its 12: never what bounds these runs at full pace)
	// items that wait until six are in flight or the run's last items started: the peak is what
	// the run let start at once, whatever the machine's speed
	private int peakInFlight(BatchOptions options) throws Exception {
		return peakInFlight(this.executor, options);
	}

	private int peakInFlight(ThrottlingExecutor executor, BatchOptions options) throws Exception {
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger peak = new AtomicInteger();
		CountDownLatch six = new CountDownLatch(6);
		BatchRun<Integer> run = executor.run("paced", IntStream.range(0, 30).boxed().toList(), options,
				(item) -> {
					peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
					six.countDown();
					six.await(200, TimeUnit.MILLISECONDS);
					inFlight.decrementAndGet();
				});
		run.await(Duration.ofSeconds(30));
		return peak.get();
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

}
