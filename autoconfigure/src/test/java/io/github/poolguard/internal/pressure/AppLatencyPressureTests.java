package io.github.poolguard.internal.pressure;

import java.time.Duration;

import io.github.poolguard.internal.experience.ScriptedJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Latency pacing's signals: the app's mean latency and the JVM's GC pause share, each past
 * {@code tolerance} times its baseline and by more than a minimum, and nothing otherwise.
 */
class AppLatencyPressureTests {

	private final ScriptedJvm jvm = new ScriptedJvm();

	private final AppLatencyPressure pressure = new AppLatencyPressure(this.jvm.sampler(), 1.3);

	@Test
	void gcPausesPastToleranceAreReportedWithTheShares() {
		this.jvm.learn(Duration.ofMillis(5), Duration.ofMillis(5));
		assertThat(this.pressure.currentPressure()).isNull();
		this.jvm.batch(true);
		// 5 ms a second without a batch (0.5 %), then 150 ms in one window: 3.4 % of the last 5 s
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(150));
		assertThat(this.pressure.currentPressure()).isEqualTo(
				"the JVM paused for garbage collection 3.4% of the last 5.0s, against 0.5% without a batch"
						+ " (poolguard.batch.app-latency-tolerance 1.3)");
	}

	@Test
	void gcPausesPastToleranceButLessThanOnePercentAboveTheBaselineAreIgnored() {
		this.jvm.learn(Duration.ofMillis(5), Duration.ZERO);
		this.jvm.batch(true);
		// 0.8 % of the last 5 s against none: infinitely past the ratio, but too little to feel
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(40));
		assertThat(this.jvm.sampler().getLatest().gcPauses().recent()).isPositive();
		assertThat(this.pressure.currentPressure()).isNull();
		this.jvm.window(20, Duration.ofMillis(5), Duration.ofMillis(20));
		assertThat(this.pressure.currentPressure()).startsWith("the JVM paused for garbage collection 1.2%");
	}

	@Test
	void latencyPastToleranceIsReportedBeforeGcPauses() {
		this.jvm.learn(Duration.ofMillis(5), Duration.ZERO);
		this.jvm.batch(true);
		this.jvm.window(20, Duration.ofMillis(10), Duration.ofMillis(300));
		assertThat(this.pressure.currentPressure())
			.isEqualTo("scripted operations took 10.0 ms on average over the last 1.0s, 2.0 times its 5.0 ms"
					+ " without a batch (poolguard.batch.app-latency-tolerance 1.3)");
		this.jvm.window(20, Duration.ofMillis(6), Duration.ZERO);
		assertThat(this.pressure.currentPressure()).as("within tolerance, less than 1 ms slower, but paused")
			.startsWith("the JVM paused");
	}

}
