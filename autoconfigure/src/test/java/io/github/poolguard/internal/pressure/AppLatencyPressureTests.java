package io.github.poolguard.internal.pressure;

import java.nio.file.Path;
import java.time.Duration;

import io.github.poolguard.internal.experience.PressureStallFiles;
import io.github.poolguard.internal.experience.ScriptedJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Latency pacing steers: past the tolerance the pace shrinks by the overshoot, within it the
 * pace grows back gently, far past it (twice the tolerance) at the slowest pace the batch holds;
 * one noisy window moves nothing; without a baseline the pace is held at half. CPU stalls steer
 * by how much longer CPU-bound work takes, once two points above their baseline. The slow start's
 * clock stops while the app is past tolerance.
 */
class AppLatencyPressureTests {

	private static final long SECOND = 1_000_000_000L;

	private final ScriptedJvm jvm = new ScriptedJvm();

	private final AppLatencyPressure pressure = new AppLatencyPressure(this.jvm.sampler(), 1.3);

	@Test
	void aSlowdownPastToleranceSlowsThePaceByItsOvershootWithoutHolding() {
		this.jvm.learn(Duration.ofMillis(10), Duration.ZERO);
		assertThat(this.pressure.pace()).isEqualTo(1.0);
		this.jvm.batch(true);
		// 1.5 times the baseline under a tolerance of 1.3: an overshoot of 1.15
		for (int window = 0; window < 3; window++) {
			this.jvm.window(20, Duration.ofMillis(15), Duration.ZERO);
			assertThat(this.pressure.currentPressure()).as("steered, never held").isNull();
		}
		// the first window alone is not trusted (median of 1 clean, 1 slow: the clean one); then two
		assertThat(this.pressure.pace()).isCloseTo(Math.pow(1.3 / 1.5, 2), within(1e-9));
		assertThat(this.pressure.describe(true)).startsWith("slowing down to 75%: scripted operations took 15.0 ms");
		for (int window = 0; window < 20; window++) {
			this.jvm.window(20, Duration.ofMillis(15), Duration.ZERO);
		}
		assertThat(this.pressure.pace()).isEqualTo(AppLatencyPressure.SLOWEST_PACE);
		assertThat(this.pressure.currentPressure()).isNull();
		// back within tolerance: grows by a tenth a window, after the median lets go
		for (int window = 0; window < 3; window++) {
			this.jvm.window(20, Duration.ofMillis(10), Duration.ZERO);
		}
		assertThat(this.pressure.pace()).isCloseTo(0.3, within(1e-9));
		assertThat(this.pressure.describe(true)).isEqualTo("growing back, at 30%: within tolerance");
	}

	@Test
	void aSlowdownPastTwiceTheToleranceIsSteeredToTheSlowestPaceAndThenHoldsTheBatch() {
		this.jvm.learn(Duration.ofMillis(5), Duration.ZERO);
		this.jvm.batch(true);
		this.jvm.window(20, Duration.ofMillis(25), Duration.ZERO);
		assertThat(this.pressure.currentPressure()).as("one window is not enough").isNull();
		assertThat(this.pressure.pace()).isEqualTo(1.0);
		// five times the baseline under a tolerance of 1.3: an overshoot of 3.85, which divides the
		// pace while it has room
		this.jvm.window(20, Duration.ofMillis(25), Duration.ZERO);
		assertThat(this.pressure.currentPressure()).as("steered first").isNull();
		assertThat(this.pressure.pace()).isCloseTo(1.3 / 5, within(1e-9));
		this.jvm.window(20, Duration.ofMillis(25), Duration.ZERO);
		assertThat(this.pressure.currentPressure()).as("at the slowest pace, not yet held").isNull();
		assertThat(this.pressure.pace()).isEqualTo(AppLatencyPressure.SLOWEST_PACE);
		assertThat(this.pressure.describe(true)).startsWith("slowing down to 10%: scripted operations took 25.0 ms");
		// still past twice the tolerance at the slowest pace: steering has run out of room
		this.jvm.window(20, Duration.ofMillis(25), Duration.ZERO);
		assertThat(this.pressure.currentPressure())
			.isEqualTo("scripted operations took 25.0 ms on average over the last 1.0s, 5.0 times its 5.0 ms"
					+ " without a batch (poolguard.batch.app-latency-tolerance 1.3)");
		assertThat(this.pressure.describe(true)).startsWith("holding back: scripted operations took 25.0 ms");
		assertThat(this.pressure.pace()).isEqualTo(AppLatencyPressure.SLOWEST_PACE);
	}

	@Test
	void theSlowStartsClockStopsWhileTheAppIsPastToleranceInTheLastWindowOrTheMedian() {
		AppLatencyPressure pressure = new AppLatencyPressure(this.jvm.sampler(), 1.3, true, this.jvm::nanoTime);
		this.jvm.learn(Duration.ofMillis(10), Duration.ZERO);
		long start = pressure.calmNanos();
		this.jvm.batch(true);
		this.jvm.window(20, Duration.ofMillis(10), Duration.ZERO);
		assertThat(pressure.calmNanos() - start).as("within tolerance: runs with the time").isEqualTo(SECOND);
		// past tolerance in the last window (the median, which the pace acts on, not yet): stops
		this.jvm.window(20, Duration.ofMillis(15), Duration.ZERO);
		assertThat(pressure.pace()).isEqualTo(1.0);
		long stopped = pressure.calmNanos();
		assertThat(stopped - start).as("the window that went past ran on the clock").isEqualTo(2 * SECOND);
		this.jvm.window(20, Duration.ofMillis(15), Duration.ZERO);
		assertThat(pressure.calmNanos()).isEqualTo(stopped);
		// the last window back within tolerance, the median still past: still stopped
		this.jvm.window(20, Duration.ofMillis(10), Duration.ZERO);
		assertThat(pressure.overshoot()).isGreaterThan(1);
		assertThat(pressure.calmNanos()).isEqualTo(stopped);
		// both within: runs again from the end of that window
		this.jvm.window(20, Duration.ofMillis(10), Duration.ZERO);
		assertThat(pressure.calmNanos()).isEqualTo(stopped);
		this.jvm.window(20, Duration.ofMillis(10), Duration.ZERO);
		assertThat(pressure.calmNanos() - stopped).isEqualTo(SECOND);
	}

	@Test
	void theSentenceIsTheMedianWindowsNotTheLatestOne() {
		this.jvm.learn(Duration.ofMillis(10), Duration.ZERO);
		this.jvm.batch(true);
		this.jvm.window(20, Duration.ofMillis(15), Duration.ZERO);
		this.jvm.window(20, Duration.ofMillis(16), Duration.ZERO);
		// the latest window is back at the baseline; the median of the three is still the 15 ms one
		this.jvm.window(20, Duration.ofMillis(10), Duration.ZERO);
		assertThat(this.pressure.overshoot()).isCloseTo(1.5 / 1.3, within(1e-9));
		assertThat(this.pressure.describe(true)).contains("scripted operations took 15.0 ms")
			.contains("1.5 times its 10.0 ms");
	}

	@Test
	void oneNoisyWindowMovesNothing() {
		this.jvm.learn(Duration.ofMillis(5), Duration.ZERO);
		this.jvm.batch(true);
		this.jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		this.jvm.window(20, Duration.ofMillis(50), Duration.ZERO);
		this.jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		assertThat(this.pressure.pace()).isEqualTo(1.0);
		assertThat(this.pressure.describe(true)).isEqualTo("within tolerance");
	}

	@Test
	void gcPausesPastToleranceSlowThePaceByTheirExcessAndHoldPastTwoPoints() {
		this.jvm.learn(Duration.ofMillis(5), Duration.ofMillis(5));
		this.jvm.batch(true);
		// 5 ms a second without a batch (0.5 %), then 100 ms in one window: 2.4 % of the last 5 s,
		// 1.9 points above the baseline: an overshoot of 1.9, for the five windows it spans
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(100));
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(5));
		assertThat(this.pressure.currentPressure()).isNull();
		assertThat(this.pressure.overshoot()).isCloseTo(1.9, within(1e-9));
		assertThat(this.pressure.describe(true)).isEqualTo("slowing down to 53%: the JVM paused for garbage"
				+ " collection 2.4% of the last 5.0s, against 0.5% without a batch"
				+ " (poolguard.batch.app-latency-tolerance 1.3)");
		// 150 ms more: 5.3 % of the last 5 s, an overshoot of 4.8: the pace goes to its slowest (the
		// median catches up in the second window), then the batch holds
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(150));
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(5));
		assertThat(this.pressure.currentPressure()).isNull();
		assertThat(this.pressure.pace()).isEqualTo(AppLatencyPressure.SLOWEST_PACE);
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(5));
		assertThat(this.pressure.currentPressure()).startsWith("the JVM paused for garbage collection 5.3%");
	}

	@Test
	void gcPausesPastToleranceButLessThanOnePercentAboveTheBaselineAreWithinIt() {
		this.jvm.learn(Duration.ofMillis(5), Duration.ZERO);
		this.jvm.batch(true);
		// 0.8 % of the last 5 s against none: infinitely past the ratio, but too little to feel
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(40));
		this.jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		assertThat(this.jvm.sampler().getLatest().gcPauses().recent()).isPositive();
		assertThat(this.pressure.pace()).isEqualTo(1.0);
	}

	@Test
	void aBatchRunningBeforeAnyBaselineGoesAtHalfPace() {
		this.jvm.batch(true);
		for (int window = 0; window < 20; window++) {
			this.jvm.window(20, Duration.ofMillis(50), Duration.ofMillis(100));
		}
		assertThat(this.pressure.pace()).isEqualTo(AppLatencyPressure.NO_BASELINE_PACE);
		assertThat(this.pressure.currentPressure()).isNull();
		assertThat(this.pressure.describe(true)).isEqualTo("no baseline yet: the app has not been read without a"
				+ " batch since it became ready, so batch work goes at 50% at most");
		// the batch ends: the app is read without it, the baselines form and the pace grows back
		this.jvm.batch(false);
		this.jvm.learn(Duration.ofMillis(5), Duration.ZERO);
		assertThat(this.pressure.pace()).isGreaterThan(AppLatencyPressure.NO_BASELINE_PACE);
		assertThat(this.pressure.describe(false)).doesNotStartWith("no baseline");
	}

	@Test
	void cpuStallsThatStretchCpuBoundWorkPastToleranceSlowThePaceAndHoldPastTwiceIt(@TempDir Path directory) {
		PressureStallFiles files = new PressureStallFiles(directory);
		ScriptedJvm jvm = new ScriptedJvm(files.reader());
		AppLatencyPressure pressure = new AppLatencyPressure(jvm.sampler(), 1.3);
		// 10 ms of each second stalled without a batch: 1 %
		learn(jvm, files, 10_000);
		jvm.batch(true);
		// 40 %: CPU-bound work runs 60 % of the time instead of 99 %, 1.65 times as long: an
		// overshoot of 1.27; the app's latency has not moved yet
		double overshoot = (0.99 / 0.6) / 1.3;
		for (int window = 0; window < 3; window++) {
			files.stall(400_000, 0);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
			assertThat(pressure.currentPressure()).as("steered, never held").isNull();
		}
		assertThat(pressure.overshoot()).isCloseTo(overshoot, within(1e-9));
		assertThat(pressure.pace()).isCloseTo(Math.pow(1 / overshoot, 2), within(1e-9));
		assertThat(pressure.describe(true)).isEqualTo("slowing down to 62%: runnable tasks waited for a CPU 40.0% of"
				+ " the last 1.0s, against 1.0% without a batch: CPU-bound work took 1.7 times as long"
				+ " (poolguard.batch.app-latency-tolerance 1.3)");
		// 70 %: 3.3 times as long, past twice the tolerance: steered to the slowest pace, then held
		for (int window = 0; window < 3; window++) {
			files.stall(700_000, 0);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
			assertThat(pressure.currentPressure()).isNull();
		}
		assertThat(pressure.pace()).isEqualTo(AppLatencyPressure.SLOWEST_PACE);
		files.stall(700_000, 0);
		jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		assertThat(pressure.currentPressure()).startsWith("runnable tasks waited for a CPU 70.0% of the last 1.0s");
	}

	@Test
	void cpuStallsAreShownButDoNotSteerUnlessPacingOnThemIsTurnedOn(@TempDir Path directory) {
		PressureStallFiles files = new PressureStallFiles(directory);
		ScriptedJvm jvm = new ScriptedJvm(files.reader());
		AppLatencyPressure pressure = new AppLatencyPressure(jvm.sampler(), 1.3, false);
		learn(jvm, files, 10_000);
		jvm.batch(true);
		for (int window = 0; window < 3; window++) {
			// 70 %: 3.3 times as long, which held the batch in the test above
			files.stall(700_000, 0);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		assertThat(jvm.sampler().getLatest().cpuStalls()).as("read and shown").isNotNull();
		assertThat(jvm.sampler().getLatest().cpuStalls().recent()).isCloseTo(0.7, within(0.01));
		assertThat(pressure.currentPressure()).isNull();
		assertThat(pressure.pace()).isEqualTo(1.0);
		assertThat(pressure.describe(true)).isEqualTo("within tolerance");
	}

	@Test
	void cpuStallsLessThanTwoPointsAboveTheBaselineAreWithinToleranceWhateverTheTolerance(
			@TempDir Path directory) {
		PressureStallFiles files = new PressureStallFiles(directory);
		ScriptedJvm jvm = new ScriptedJvm(files.reader());
		// a tolerance so tight that 1.5 points more stall would be past it
		AppLatencyPressure pressure = new AppLatencyPressure(jvm.sampler(), 1.01);
		learn(jvm, files, 10_000);
		jvm.batch(true);
		for (int window = 0; window < 5; window++) {
			files.stall(25_000, 0);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		assertThat(jvm.sampler().getLatest().cpuStalls().recent()).isCloseTo(0.025, within(1e-9));
		assertThat(pressure.pace()).isEqualTo(1.0);
		assertThat(pressure.describe(true)).isEqualTo("within tolerance");
		// 4 %: 3 points, 1.03 times as long: past that tolerance
		for (int window = 0; window < 3; window++) {
			files.stall(40_000, 0);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		assertThat(pressure.pace()).isLessThan(1.0);
		assertThat(pressure.currentPressure()).isNull();
	}

	private static void learn(ScriptedJvm jvm, PressureStallFiles files, long stallMicros) {
		for (int window = 0; window < ScriptedJvm.LEARNING_WINDOWS; window++) {
			files.stall(stallMicros, 0);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
	}

}
