package io.github.poolguard.health;

import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.assessment.ConnectionsSnapshot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A {@code db} health indicator that reports whether the database is reachable, from the
 * assessment of the server monitor's latest sample, instead of borrowing a pool connection the
 * way Spring Boot's stock one does (which blocks for the pool's {@code connectionTimeout} while
 * the pool is exhausted). It asks one question of the snapshot, "does this instance reach its
 * server?": a busy or crowded server is reachable, so UP here, while the {@code connections}
 * indicator shows the same snapshot's WARNING.
 */
public class MonitoredDatabaseHealthIndicator implements HealthIndicator {

	private final ConnectionsAssessment assessment;

	/**
	 * Create an indicator.
	 * @param assessment judges the connections
	 */
	public MonitoredDatabaseHealthIndicator(ConnectionsAssessment assessment) {
		this.assessment = assessment;
	}

	@Override
	public Health health() {
		ConnectionsSnapshot snapshot = this.assessment.assess();
		Health.Builder builder;
		if (!snapshot.isReachable()) {
			builder = Health.down().withDetail("reason", String.valueOf(snapshot.reason()));
		}
		else if (snapshot.busy() != null) {
			// the server answered "too busy": it is there, and a busy server must not take the instance out
			builder = Health.up().withDetail("busy", snapshot.busy());
		}
		else {
			builder = Health.up();
		}
		builder.withDetail("database", "PostgreSQL");
		builder.withDetail("source", "PoolGuard server monitor (no pool connection borrowed)");
		builder.withDetail("checkedAt", snapshot.checkedAt().toString());
		return builder.build();
	}

}
