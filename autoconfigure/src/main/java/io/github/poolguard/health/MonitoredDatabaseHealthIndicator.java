package io.github.poolguard.health;

import java.time.Instant;

import io.github.poolguard.monitor.ServerMonitor;
import io.github.poolguard.monitor.ServerReading;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A {@code db} health indicator that reports whether the database is reachable from the server
 * monitor's latest sample, instead of borrowing a pool connection the way Spring Boot's stock
 * one does (which blocks for the pool's {@code connectionTimeout} while the pool is exhausted).
 */
public class MonitoredDatabaseHealthIndicator implements HealthIndicator {

	private final ServerMonitor monitor;

	/**
	 * Create an indicator.
	 * @param monitor the server monitor
	 */
	public MonitoredDatabaseHealthIndicator(ServerMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public Health health() {
		ServerReading reading = this.monitor.getReading();
		Health.Builder builder;
		if (reading.isUnreachable()) {
			builder = Health.down().withDetail("reason", reading.failure());
		}
		else if (reading.failure() != null) {
			// the server answered "too busy": it is there, and a busy server must not take the instance out
			builder = Health.up().withDetail("busy", reading.failure());
		}
		else if (!reading.isPending() && this.monitor.isStale(reading, Instant.now())) {
			builder = Health.down()
				.withDetail("reason", "the monitor has not sampled the server since " + reading.readAt());
		}
		else {
			builder = Health.up();
		}
		builder.withDetail("database", "PostgreSQL");
		builder.withDetail("source", "PoolGuard server monitor (no pool connection borrowed)");
		builder.withDetail("checkedAt", reading.readAt().toString());
		return builder.build();
	}

}
