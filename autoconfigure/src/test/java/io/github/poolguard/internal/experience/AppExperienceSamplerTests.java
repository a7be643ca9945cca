package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.experience.LatencyTotals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline is learned only from windows without a batch and stays frozen while one runs; a
 * window with too few operations, or totals that went back, gives no reading.
 */
class AppExperienceSamplerTests {

	private final Operations operations = new Operations();

	private final AtomicBoolean batch = new AtomicBoolean();

	private final AppExperienceSampler sampler = new AppExperienceSampler(List.of(this.operations), this.batch::get,
			Duration.ofSeconds(1));

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

	private void learnBaseline(Duration each) {
		for (int window = 0; window < AppExperienceSampler.BASELINE_WINDOWS; window++) {
			this.operations.finish(20, each);
			this.sampler.sample();
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
