package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.experience.LatencyTotals;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The application's HTTP requests as Micrometer times them ({@code http.server.requests}),
 * actuator requests left out: they are the operators' and load balancers', not the users'.
 * Running totals need a registry that keeps them (Boot's simple registry, Prometheus); one that
 * resets them every step gives no reading.
 */
public final class HttpRequestLatency implements LatencySource {

	static final String TIMER = "http.server.requests";

	private final MeterRegistry registry;

	/**
	 * Create a source reading the given registry.
	 * @param registry the registry the web server's timers are in
	 */
	public HttpRequestLatency(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public String name() {
		return "HTTP requests";
	}

	@Override
	public LatencyTotals totals() {
		long count = 0;
		double nanos = 0;
		for (Timer timer : this.registry.find(TIMER).timers()) {
			String uri = timer.getId().getTag("uri");
			if (uri == null || !uri.startsWith("/actuator")) {
				count += timer.count();
				nanos += timer.totalTime(TimeUnit.NANOSECONDS);
			}
		}
		return new LatencyTotals(count, (long) nanos);
	}

}
