package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencyTotals;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP requests are summed over every {@code http.server.requests} timer except the actuator's.
 */
class HttpRequestLatencyTests {

	@Test
	void sumsTheApplicationsRequestsAndLeavesOutTheActuators() {
		MeterRegistry registry = new SimpleMeterRegistry();
		Timer.builder("http.server.requests").tag("uri", "/api/companies").register(registry)
			.record(Duration.ofMillis(10));
		Timer.builder("http.server.requests").tag("uri", "/api/companies/{ticker}").register(registry)
			.record(Duration.ofMillis(30));
		Timer.builder("http.server.requests").tag("uri", "/actuator/health").register(registry)
			.record(Duration.ofSeconds(5));
		LatencyTotals totals = new HttpRequestLatency(registry).totals();
		assertThat(totals.count()).isEqualTo(2);
		assertThat(totals.totalNanos()).isEqualTo(Duration.ofMillis(40).toNanos());
	}

}
