package io.github.poolguard.assessment;

/**
 * Judges the application's connections: one {@link ConnectionsSnapshot} from the latest readings
 * of the server, both pools, PgBouncer and the budget, with plain-sentence warnings, as
 * {@code /actuator/health/connections}, the {@code db} indicator and {@code /actuator/poolguard}
 * show it. The auto-configuration supplies the bean; it reads memory only, never touches the
 * server and never borrows a connection.
 */
@FunctionalInterface
public interface ConnectionsAssessment {

	/**
	 * Assess the application's connections now.
	 * @return the snapshot
	 */
	ConnectionsSnapshot assess();

}
