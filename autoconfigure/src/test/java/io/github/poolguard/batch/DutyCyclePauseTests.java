package io.github.poolguard.batch;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steered pause: what the rounded-up limits leave of the pace, as a duty cycle.
 */
class DutyCyclePauseTests {

	private static final Duration ACTIVE = Duration.ofMillis(100);

	@Test
	void atFullPaceThereIsNoPause() {
		assertThat(AdaptivePacing.dutyCyclePause(1.0, 8, 2, ACTIVE)).isZero();
	}

	@Test
	void whereTheLimitsAloneGiveThePaceThereIsNoPause() {
		// half of 8 items and half of 2 steps: the limits are the pace
		assertThat(AdaptivePacing.dutyCyclePause(0.5, 8, 2, ACTIVE)).isZero();
	}

	@Test
	void whatTheRoundingLeavesIsPausedInProportionToTheActiveTime() {
		// 0.3 of 8 items is 3 (0.375), of 2 steps 1 (0.5): the limits allow 0.375, so the run goes
		// 0.3 / 0.375 = 80 % of the time: 25 ms paused per 100 ms active
		assertThat(AdaptivePacing.dutyCyclePause(0.3, 8, 2, ACTIVE)).isEqualTo(Duration.ofMillis(25));
		// one item and one step: a pace of 0.1 runs a tenth of the time, 450 ms paused per 50 active
		assertThat(AdaptivePacing.dutyCyclePause(0.1, 1, 1, Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(450));
	}

	@Test
	void theSlowerThePaceTheLongerThePauseForTheSameWork() {
		Duration previous = Duration.ZERO;
		for (double pace = 0.45; pace >= 0.1; pace -= 0.05) {
			Duration pause = AdaptivePacing.dutyCyclePause(pace, 1, 1, Duration.ofMillis(10));
			assertThat(pause).as("pause at pace %.2f", pace).isGreaterThan(previous);
			previous = pause;
		}
	}

	@Test
	void aPauseIsAtMostHalfASecondSoASteeredRunMovesEverySecond() {
		assertThat(AdaptivePacing.dutyCyclePause(0.1, 1, 1, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(500));
	}

}
