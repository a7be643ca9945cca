package io.github.poolguard.internal.pacing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A steered run starts at a fifth of the application's pace and reaches it a ramp-up later, so
 * that its whole concurrency does not land on the application before its latency has been read.
 */
class SlowStartTests {

	private static final Duration FOUR_SECONDS = Duration.ofSeconds(4);

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	@Test
	void aRunStartsAtAFifthAndReachesTheAppsPaceOneRampUpIn() {
		DoubleSupplier pace = SlowStart.of(() -> 1.0, FOUR_SECONDS, this.nanos::get);
		assertThat(pace.getAsDouble()).isCloseTo(0.2, within(1e-9));
		this.nanos.addAndGet(2_000_000_000L);
		assertThat(pace.getAsDouble()).isCloseTo(0.6, within(1e-9));
		this.nanos.addAndGet(2_000_000_000L);
		assertThat(pace.getAsDouble()).isEqualTo(1.0);
		this.nanos.addAndGet(60_000_000_000L);
		assertThat(pace.getAsDouble()).isEqualTo(1.0);
	}

	@Test
	void theAppsSlowerPaceAlwaysWins() {
		DoubleSupplier pace = SlowStart.of(() -> 0.1, FOUR_SECONDS, this.nanos::get);
		assertThat(pace.getAsDouble()).isEqualTo(0.1);
		this.nanos.addAndGet(10_000_000_000L);
		assertThat(pace.getAsDouble()).isEqualTo(0.1);
	}

	@Test
	void theAppsPaceIsFollowedLiveAfterTheRampUp() {
		AtomicLong hundredths = new AtomicLong(100);
		DoubleSupplier pace = SlowStart.of(() -> hundredths.get() / 100.0, FOUR_SECONDS, this.nanos::get);
		this.nanos.addAndGet(5_000_000_000L);
		hundredths.set(40);
		assertThat(pace.getAsDouble()).isEqualTo(0.4);
		hundredths.set(90);
		assertThat(pace.getAsDouble()).isEqualTo(0.9);
	}

	@Test
	void noRampUpIsTheAppsPaceFromTheStart() {
		DoubleSupplier pace = SlowStart.of(() -> 0.7, Duration.ZERO, this.nanos::get);
		assertThat(pace.getAsDouble()).isEqualTo(0.7);
	}

}
