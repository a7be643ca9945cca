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
 * {@code poolguard.batch.cpu-pressure}: the sampler reads Linux's CPU pressure-stall information
 * where the system gives it, and not at all when the property turns it off.
 */
class CpuPressureSettingTests {

	private final DefaultListableBeanFactory none = new DefaultListableBeanFactory();

	@Test
	void byDefaultTheSamplerReadsCpuPressureWhereTheSystemGivesIt() {
		PoolGuardProperties properties = new PoolGuardProperties();
		assertThat(properties.getBatch().isCpuPressure()).isTrue();
		assertThat(sampler(properties).readsCpuPressure())
			.isEqualTo(CpuPressureFiles.ofRunningSystem().isAvailable());
	}

	@Test
	void turnedOffTheSamplerNeverReadsIt() {
		PoolGuardProperties properties = new PoolGuardProperties();
		properties.getBatch().setCpuPressure(false);
		AppExperienceSampler sampler = sampler(properties);
		assertThat(sampler.readsCpuPressure()).isFalse();
		sampler.sample();
		assertThat(sampler.getLatest().cpuStalls()).isNull();
	}

	private AppExperienceSampler sampler(PoolGuardProperties properties) {
		return new PoolGuardAppExperienceAutoConfiguration().poolGuardAppExperienceSampler(
				this.none.getBeanProvider(BatchRuns.class), this.none.getBeanProvider(ConnectionHolders.class),
				this.none.getBeanProvider(LatencySource.class), this.none.getBeanProvider(Housekeeping.class),
				properties);
	}

}
