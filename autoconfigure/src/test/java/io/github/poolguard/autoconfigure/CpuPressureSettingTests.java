package io.github.poolguard.autoconfigure;

import io.github.poolguard.actuate.BatchRuns;
import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.internal.experience.CpuPressureFiles;
import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.leak.ConnectionHolders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Linux's CPU pressure-stall information is read and shown wherever the system gives it; it
 * steers batch work unless {@code poolguard.batch.pace-on-cpu-pressure} is false
 * ({@code AppLatencyPressureTests} has what it does either way).
 */
class CpuPressureSettingTests {

	private final DefaultListableBeanFactory none = new DefaultListableBeanFactory();

	@Test
	void theSamplerReadsCpuPressureWhereTheSystemGivesIt() {
		AppExperienceSampler sampler = new PoolGuardAppExperienceAutoConfiguration().poolGuardAppExperienceSampler(
				this.none.getBeanProvider(BatchRuns.class), this.none.getBeanProvider(ConnectionHolders.class),
				this.none.getBeanProvider(LatencySource.class), this.none.getBeanProvider(Housekeeping.class));
		assertThat(sampler.readsCpuPressure()).isEqualTo(CpuPressureFiles.ofRunningSystem().isAvailable());
	}

	@Test
	void itSteersByDefault() {
		assertThat(new PoolGuardProperties().getBatch().isPaceOnCpuPressure()).isTrue();
	}

}
