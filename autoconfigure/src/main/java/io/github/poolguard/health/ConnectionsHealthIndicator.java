package io.github.poolguard.health;

import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.assessment.ConnectionsSnapshot;

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

	private final ConnectionsAssessment assessment;

	/**
	 * Create an indicator.
	 * @param assessment judges the connections
	 */
	public ConnectionsHealthIndicator(ConnectionsAssessment assessment) {
		this.assessment = assessment;
	}

	@Override
	public Health health() {
		ConnectionsSnapshot snapshot = this.assessment.assess();
		Status status = switch (snapshot.status()) {
			case UP -> Status.UP;
			case WARNING -> WARNING;
			case DOWN -> Status.DOWN;
		};
		return Health.status(status).withDetails(snapshot.toDetails()).build();
	}

}
