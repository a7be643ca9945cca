package io.github.poolguard.internal.monitor;

import io.github.poolguard.monitor.PressureLevel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Levels are entered at their threshold and left only below it by the hysteresis.
 */
class PressureThresholdsTests {

	private final PressureThresholds thresholds = new PressureThresholds(0.80, 0.95);

	@Test
	void levelsRiseAtTheirThresholds() {
		assertThat(this.thresholds.levelFor(0.79, PressureLevel.NORMAL)).isEqualTo(PressureLevel.NORMAL);
		assertThat(this.thresholds.levelFor(0.80, PressureLevel.NORMAL)).isEqualTo(PressureLevel.WARNING);
		assertThat(this.thresholds.levelFor(0.95, PressureLevel.NORMAL)).isEqualTo(PressureLevel.CRITICAL);
		assertThat(this.thresholds.levelFor(1.2, PressureLevel.WARNING)).isEqualTo(PressureLevel.CRITICAL);
	}

	@Test
	void levelsFallOnlyBelowTheirThresholdLessTheHysteresis() {
		assertThat(this.thresholds.levelFor(0.78, PressureLevel.WARNING)).isEqualTo(PressureLevel.WARNING);
		assertThat(this.thresholds.levelFor(0.74, PressureLevel.WARNING)).isEqualTo(PressureLevel.NORMAL);
		assertThat(this.thresholds.levelFor(0.91, PressureLevel.CRITICAL)).isEqualTo(PressureLevel.CRITICAL);
		assertThat(this.thresholds.levelFor(0.89, PressureLevel.CRITICAL)).isEqualTo(PressureLevel.WARNING);
		assertThat(this.thresholds.levelFor(0.10, PressureLevel.CRITICAL)).isEqualTo(PressureLevel.NORMAL);
	}

	@Test
	void thresholdsOutsideTheRangeOrInTheWrongOrderAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PressureThresholds(0, 0.9));
		assertThatIllegalArgumentException().isThrownBy(() -> new PressureThresholds(0.8, 1.1));
		assertThatIllegalArgumentException().isThrownBy(() -> new PressureThresholds(0.9, 0.9));
	}

}
