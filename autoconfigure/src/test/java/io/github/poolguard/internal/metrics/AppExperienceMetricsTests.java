package io.github.poolguard.internal.metrics;

import java.nio.file.Path;
import java.time.Duration;

import io.github.poolguard.internal.experience.CpuPressureFiles;
import io.github.poolguard.internal.experience.PressureStallFiles;
import io.github.poolguard.internal.experience.ScriptedJvm;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app-experience gauges show the sampler's latest reading and NaN while there is none; the
 * CPU pressure gauges exist only where the pressure-stall files do.
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

	@Test
	void theCpuPressureGaugesShowTheStallShareAndAreAbsentWithoutTheFiles(@TempDir Path directory) {
		PressureStallFiles files = new PressureStallFiles(directory.resolve("linux"));
		ScriptedJvm jvm = new ScriptedJvm(files.reader());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new AppExperienceMetrics(jvm.sampler()).bindTo(registry);
		assertThat(cpu(registry, "recent")).isNaN();
		for (int window = 0; window < ScriptedJvm.LEARNING_WINDOWS; window++) {
			files.stall(10_000, 0);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		jvm.batch(true);
		files.stall(120_000, 0);
		jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		assertThat(cpu(registry, "recent")).isCloseTo(0.12, org.assertj.core.api.Assertions.within(1e-9));
		assertThat(cpu(registry, "baseline")).isCloseTo(0.01, org.assertj.core.api.Assertions.within(1e-9));
		// macOS, an old kernel, PSI disabled: no such meter at all
		CpuPressureFiles absent = new CpuPressureFiles(directory.resolve("none/pressure"),
				directory.resolve("none/cgroup"), directory.resolve("none/fs"));
		SimpleMeterRegistry elsewhere = new SimpleMeterRegistry();
		new AppExperienceMetrics(new ScriptedJvm(absent).sampler()).bindTo(elsewhere);
		assertThat(elsewhere.find("poolguard.app.cpu.pressure").gauges()).isEmpty();
		assertThat(elsewhere.find("poolguard.app.gc.pauses").gauges()).hasSize(2);
	}

	private static double cpu(SimpleMeterRegistry registry, String window) {
		return registry.get("poolguard.app.cpu.pressure").tag("window", window).gauge().value();
	}

}
