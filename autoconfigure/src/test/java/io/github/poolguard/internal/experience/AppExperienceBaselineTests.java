package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencyReading;
import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.experience.LatencyTotals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The baselines are learned from what the ready application feels without a batch: not from the
 * startup's slow seconds, and not from the GC pauses a batch that just ended left in the share's
 * span.
 */
class AppExperienceBaselineTests {

	@Test
	void theStartupsSlowSecondsDoNotSeedTheBaseline() {
		Operations operations = new Operations();
		AppExperienceSampler sampler = new AppExperienceSampler(List.of(operations), () -> false,
				Duration.ofSeconds(1), Clock.systemUTC(), () -> 0L, new Ticker()::next);
		// migrations, Hibernate, a cold JIT: 50 operations of 200 ms before the first window ends
		operations.finish(50, Duration.ofMillis(200));
		sampler.applicationReady();
		LatencyReading first = null;
		for (int window = 0; window < 10 && first == null; window++) {
			operations.finish(AppExperienceSampler.MIN_SAMPLES, Duration.ofMillis(5));
			sampler.sample();
			first = sampler.getLatest().worst();
		}
		assertThat(first).isNotNull();
		assertThat(first.baseline()).isEqualTo(Duration.ofMillis(5));
	}

	@Test
	void theGcBaselineNeverLearnsAShareWhoseSpanOverlappedABatch() {
		ScriptedJvm jvm = new ScriptedJvm();
		// 5 ms of pauses a second without a batch: 0.5 %
		jvm.learn(Duration.ofMillis(5), Duration.ofMillis(5));
		assertThat(jvm.sampler().getLatest().gcPauses().baseline()).isCloseTo(0.005, within(1e-9));
		jvm.batch(true);
		for (int window = 0; window < 10; window++) {
			jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(50));
		}
		jvm.batch(false);
		// the batch ended: the next windows' five-second shares still hold its pauses
		for (int window = 0; window < AppExperienceSampler.GC_WINDOWS - 1; window++) {
			jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(5));
		}
		assertThat(jvm.sampler().getLatest().gcPauses().baseline()).isCloseTo(0.005, within(1e-9));
	}

	private static final class Ticker {

		private long nanos;

		long next() {
			this.nanos += 1_000_000_000L;
			return this.nanos;
		}

	}

	private static final class Operations implements LatencySource {

		private long count;

		private long nanos;

		void finish(int operations, Duration each) {
			this.count += operations;
			this.nanos += operations * each.toNanos();
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
