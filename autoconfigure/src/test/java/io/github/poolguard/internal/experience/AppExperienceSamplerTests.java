package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.experience.LatencyTotals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The baseline is learned only from windows without a batch and stays frozen while one runs; a
 * window with too few operations, or totals that went back, gives no reading.
 */
class AppExperienceSamplerTests {

	private final Operations operations = new Operations();

	private final AtomicBoolean batch = new AtomicBoolean();

	private final FakeJvm jvm = new FakeJvm();

	private final AppExperienceSampler sampler = new AppExperienceSampler(List.of(this.operations), this.batch::get,
			Duration.ofSeconds(1), Clock.systemUTC(), this.jvm::pausedNanos, this.jvm::nanoTime);

	AppExperienceSamplerTests() {
		// ready from the first window on: the window in progress when it became ready is discarded
		this.sampler.applicationReady();
		this.sampler.sample();
	}

	@Test
	void noReadingUntilEnoughWindowsWithoutABatchWereSeen() {
		for (int window = 1; window < AppExperienceSampler.BASELINE_WINDOWS; window++) {
			this.operations.finish(20, Duration.ofMillis(5));
			this.sampler.sample();
			assertThat(this.sampler.getLatest().readings()).isEmpty();
		}
		this.operations.finish(20, Duration.ofMillis(5));
		this.sampler.sample();
		assertThat(this.sampler.getLatest().worst()).satisfies((reading) -> {
			assertThat(reading.recent()).isEqualTo(Duration.ofMillis(5));
			assertThat(reading.baseline()).isEqualTo(Duration.ofMillis(5));
			assertThat(reading.samples()).isEqualTo(20);
		});
	}

	@Test
	void theBaselineStaysFrozenWhileABatchRuns() {
		learnBaseline(Duration.ofMillis(5));
		this.batch.set(true);
		for (int window = 0; window < 10; window++) {
			this.operations.finish(20, Duration.ofMillis(50));
			this.sampler.sample();
		}
		AppExperience experience = this.sampler.getLatest();
		assertThat(experience.batchRunning()).isTrue();
		assertThat(experience.worst().baseline()).isEqualTo(Duration.ofMillis(5));
		assertThat(experience.worst().ratio()).isEqualTo(10.0);
	}

	@Test
	void withoutABatchTheBaselineFollowsTheAppsLatency() {
		learnBaseline(Duration.ofMillis(5));
		this.operations.finish(20, Duration.ofMillis(15));
		this.sampler.sample();
		// one window moves the baseline by a fifth of the difference
		assertThat(this.sampler.getLatest().worst().baseline()).isEqualTo(Duration.ofMillis(7));
	}

	@Test
	void aWindowWithFewOperationsOrTotalsThatWentBackGivesNoReading() {
		learnBaseline(Duration.ofMillis(5));
		this.operations.finish(AppExperienceSampler.MIN_SAMPLES - 1, Duration.ofMillis(5));
		this.sampler.sample();
		assertThat(this.sampler.getLatest().readings()).isEmpty();
		this.operations.reset();
		this.sampler.sample();
		assertThat(this.sampler.getLatest().readings()).isEmpty();
	}

	@Test
	void theGcPauseShareIsTakenOverTheLastWindowsAgainstItsShareWithoutABatch() {
		// 10 ms of pauses a second without a batch: 1 %
		for (int window = 0; window < AppExperienceSampler.GC_WINDOWS; window++) {
			this.jvm.window(Duration.ofMillis(10));
			this.sampler.sample();
			assertThat(this.sampler.getLatest().gcPauses()).as("not enough windows yet").isNull();
		}
		for (int window = 0; window < AppExperienceSampler.BASELINE_WINDOWS; window++) {
			this.jvm.window(Duration.ofMillis(10));
			this.sampler.sample();
		}
		assertThat(this.sampler.getLatest().gcPauses()).satisfies((gc) -> {
			assertThat(gc.recent()).isCloseTo(0.01, within(1e-9));
			assertThat(gc.baseline()).isCloseTo(0.01, within(1e-9));
			assertThat(gc.seconds()).isEqualTo(AppExperienceSampler.GC_WINDOWS);
		});
		// a batch: one 200 ms pause, then none; the share covers the last five windows
		this.batch.set(true);
		this.jvm.window(Duration.ofMillis(200));
		this.sampler.sample();
		assertThat(this.sampler.getLatest().gcPauses().recent()).isCloseTo(0.048, within(1e-9));
		for (int window = 1; window < AppExperienceSampler.GC_WINDOWS; window++) {
			this.jvm.window(Duration.ZERO);
			this.sampler.sample();
		}
		assertThat(this.sampler.getLatest().gcPauses().recent()).isCloseTo(0.04, within(1e-9));
		this.jvm.window(Duration.ZERO);
		this.sampler.sample();
		assertThat(this.sampler.getLatest().gcPauses().recent()).isZero();
		assertThat(this.sampler.getLatest().gcPauses().baseline()).as("frozen while the batch runs")
			.isCloseTo(0.01, within(1e-9));
	}

	@Test
	void theDetailsShowEachSourceAndTheGcShare() {
		for (int window = 0; window < AppExperienceSampler.GC_WINDOWS + AppExperienceSampler.BASELINE_WINDOWS;
				window++) {
			this.operations.finish(20, Duration.ofMillis(5));
			this.jvm.window(Duration.ofMillis(20));
			this.sampler.sample();
		}
		assertThat(this.sampler.getLatest().toDetails()).containsEntry("latency",
				java.util.Map.of("operations", java.util.Map.of("recentMs", 5.0, "baselineMs", 5.0, "ratio", 1.0,
						"samples", 20L)))
			.containsEntry("gcPauses", java.util.Map.of("recentPercent", 2.0, "baselinePercent", 2.0,
					"overSeconds", 5.0))
			.containsEntry("batchRunning", false);
	}

	private void learnBaseline(Duration each) {
		for (int window = 0; window < AppExperienceSampler.BASELINE_WINDOWS; window++) {
			this.operations.finish(20, each);
			this.sampler.sample();
		}
	}

	/**
	 * A JVM whose clock and GC pauses the test moves, one window of a second at a time.
	 */
	private static final class FakeJvm {

		private long nanoTime = 1_000_000_000L;

		private long pausedNanos;

		void window(Duration paused) {
			this.nanoTime += 1_000_000_000L;
			this.pausedNanos += paused.toNanos();
		}

		long nanoTime() {
			return this.nanoTime;
		}

		long pausedNanos() {
			return this.pausedNanos;
		}

	}

	/**
	 * Operations finished by the test, each taking the time the test says.
	 */
	private static final class Operations implements LatencySource {

		private long count;

		private long nanos;

		void finish(int operations, Duration each) {
			this.count += operations;
			this.nanos += operations * each.toNanos();
		}

		void reset() {
			this.count = 0;
			this.nanos = 0;
		}

		@Override
		public String name() {
			return "operations";
		}

		@Override
		public LatencyTotals totals() {
			return new LatencyTotals(this.count, this.nanos);
		}

	}

}
