package io.github.poolguard.internal.metrics;

import java.time.Duration;

import io.github.poolguard.internal.experience.ScriptedJvm;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app-experience gauges show the sampler's latest reading and NaN while there is none.
 */
class AppExperienceMetricsTests {

	@Test
	void gaugesShowTheLatestReadingAndNaNBeforeIt() {
		ScriptedJvm jvm = new ScriptedJvm();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new AppExperienceMetrics(jvm.sampler()).bindTo(registry);
		assertThat(latency(registry, "recent")).isNaN();
		assertThat(registry.get("poolguard.app.gc.pauses").tag("window", "recent").gauge().value()).isNaN();
		jvm.learn(Duration.ofMillis(5), Duration.ofMillis(10));
		jvm.batch(true);
		jvm.window(20, Duration.ofMillis(15), Duration.ofMillis(60));
		assertThat(latency(registry, "recent")).isEqualTo(0.015);
		assertThat(latency(registry, "baseline")).isEqualTo(0.005);
		assertThat(registry.get("poolguard.app.gc.pauses").tag("window", "recent").gauge().value())
			.isCloseTo(0.02, org.assertj.core.api.Assertions.within(1e-9));
		assertThat(registry.get("poolguard.app.gc.pauses").tag("window", "baseline").gauge().value())
			.isCloseTo(0.01, org.assertj.core.api.Assertions.within(1e-9));
	}

	private static double latency(SimpleMeterRegistry registry, String window) {
		return registry.get("poolguard.app.latency").tag("source", "scripted-operations").tag("window", window)
			.gauge()
			.value();
	}

}
