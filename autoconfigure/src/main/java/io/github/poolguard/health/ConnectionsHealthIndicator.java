package io.github.poolguard.health;

import io.github.poolguard.monitor.ConnectionsOverview;
import io.github.poolguard.monitor.ConnectionsOverview.Assessment;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports the application's connections, served at {@code /actuator/health/connections}: UP,
 * {@link #WARNING} (HTTP 200) with plain-sentence warnings from the warning threshold on (the
 * critical threshold included, its level in the details), or DOWN only while this instance
 * cannot reach its server. Answers from memory at once, however many threads wait for a pool
 * connection.
 */
public class ConnectionsHealthIndicator implements HealthIndicator {

	/**
	 * Still serving, but something needs attention. Ranks between DOWN and UP in the
	 * {@code connections} group; an application's own status order leaves it out unless the
	 * application lists it ({@code management.endpoint.health.status.order}).
	 */
	public static final Status WARNING = new Status("WARNING",
			"Serving, but connection usage or holders need attention");

	private final ConnectionsOverview overview;

	/**
	 * Create an indicator.
	 * @param overview assesses the connections
	 */
	public ConnectionsHealthIndicator(ConnectionsOverview overview) {
		this.overview = overview;
	}

	@Override
	public Health health() {
		Assessment assessment = this.overview.assess();
		Status status = switch (assessment.status()) {
			case UP -> Status.UP;
			case WARNING -> WARNING;
			case DOWN -> Status.DOWN;
		};
		return Health.status(status).withDetails(assessment.toDetails()).build();
	}

}
