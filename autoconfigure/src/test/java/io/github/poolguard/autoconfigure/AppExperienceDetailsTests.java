package io.github.poolguard.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.poolguard.internal.experience.ScriptedJvm;
import io.github.poolguard.internal.pressure.AppLatencyPressure;
import org.junit.jupiter.api.Test;

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

}
