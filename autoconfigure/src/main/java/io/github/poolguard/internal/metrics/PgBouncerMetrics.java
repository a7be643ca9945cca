package io.github.poolguard.internal.metrics;

import java.util.function.ToDoubleFunction;

import io.github.poolguard.internal.pgbouncer.PgBouncerConsole;
import io.github.poolguard.internal.pgbouncer.PgBouncerPools;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds PgBouncer's meters from the latest admin console reading:
 * {@code poolguard.pgbouncer.clients.waiting} (clients waiting for a server connection) and
 * {@code poolguard.pgbouncer.wait.max} (seconds the oldest of them has waited). Both are NaN
 * before the first successful reading.
 */
public class PgBouncerMetrics implements MeterBinder {

	private final PgBouncerConsole console;

	/**
	 * Create the binder.
	 * @param console reads PgBouncer's admin console
	 */
	public PgBouncerMetrics(PgBouncerConsole console) {
		this.console = console;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "poolguard.pgbouncer.clients.waiting", "Client connections waiting in PgBouncer", null,
				PgBouncerPools::clientsWaiting);
		gauge(registry, "poolguard.pgbouncer.wait.max", "How long the oldest client has waited in PgBouncer",
				"seconds", (pools) -> pools.maxWait().toNanos() / 1e9);
	}

	private void gauge(MeterRegistry registry, String name, String description, String unit,
			ToDoubleFunction<PgBouncerPools> value) {
		Gauge.builder(name, this.console, (console) -> {
			PgBouncerPools pools = console.getPools();
			return (pools != null) ? value.applyAsDouble(pools) : Double.NaN;
		}).description(description).baseUnit(unit).register(registry);
	}

}
