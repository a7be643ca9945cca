package io.github.poolguard.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.poolguard.internal.experience.PressureStallFiles;
import io.github.poolguard.internal.experience.ScriptedJvm;
import io.github.poolguard.internal.pressure.AppLatencyPressure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code experience} health details say what batch pacing makes of the readings, including
 * when there is nothing to compare with yet.
 */
class AppExperienceDetailsTests {

	private final ScriptedJvm jvm = new ScriptedJvm();

	private final AppLatencyPressure pressure = new AppLatencyPressure(this.jvm.sampler(), 1.3);

	@Test
	void aBatchRunningBeforeAnyBaselineIsSaidToBePacedWithoutOne() {
		// a Spring Batch job or an ApplicationRunner from the first window on
		this.jvm.batch(true);
		for (int window = 0; window < 20; window++) {
			this.jvm.window(20, Duration.ofMillis(50), Duration.ofMillis(100));
		}
		Map<String, Object> details = PoolGuardAppExperienceAutoConfiguration.experienceDetails(this.jvm.sampler(),
				this.pressure, 1.3);
		assertThat(details).hasEntrySatisfying("batchPacing",
				(pacing) -> assertThat(pacing).asString().startsWith("no baseline yet: "));
	}

	@Test
	void theCpuStallShareAndItsBaselineAreShownNextToTheGcShare(@TempDir Path directory) {
		PressureStallFiles files = new PressureStallFiles(directory);
		ScriptedJvm linux = new ScriptedJvm(files.reader());
		AppLatencyPressure latency = new AppLatencyPressure(linux.sampler(), 1.3);
		for (int window = 0; window < ScriptedJvm.LEARNING_WINDOWS; window++) {
			files.stall(30_000, 0);
			linux.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		Map<String, Object> details = PoolGuardAppExperienceAutoConfiguration.experienceDetails(linux.sampler(),
				latency, 1.3);
		assertThat(details).containsKey("gcPauses")
			.containsEntry("cpuPressure", Map.of("recentPercent", 3.0, "baselinePercent", 3.0, "throttledPercent", 0.0,
					"throttledPeriods", 0L));
		// without the files: no such detail
		for (int window = 0; window < ScriptedJvm.LEARNING_WINDOWS; window++) {
			this.jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		assertThat(PoolGuardAppExperienceAutoConfiguration.experienceDetails(this.jvm.sampler(), this.pressure, 1.3))
			.containsKey("gcPauses")
			.doesNotContainKey("cpuPressure");
	}

}
