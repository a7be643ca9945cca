package io.github.poolguard.batch;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

import org.springframework.dao.TransientDataAccessException;

/**
 * Tells transient database failures, worth another attempt, from permanent ones: connection
 * failures (SQLState class 08), the server shutting down or starting (57P01 to 57P03),
 * serialization failures and deadlocks (40001, 40P01), any {@link SQLTransientException} (which
 * includes HikariCP's connection acquisition timeout) and Spring's
 * {@link TransientDataAccessException}, and HikariCP's "Connection is closed" on a connection it
 * evicted after such a failure. The whole cause chain is examined.
 */
final class TransientFailures {

	private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "40001", "40P01");

	private TransientFailures() {
	}

	/**
	 * Return whether the failure is transient.
	 * @param failure the failure
	 * @return {@code true} when retrying may succeed
	 */
	public static boolean isTransient(Throwable failure) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (current instanceof SQLTransientException || current instanceof TransientDataAccessException) {
				return true;
			}
			if (current instanceof SQLException sql && (isTransientState(sql.getSQLState()) || isClosedByPool(sql))) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	/**
	 * HikariCP answers any call on a connection it has already evicted as broken with "Connection
	 * is closed" and no SQLState. It shows up when a transaction manager rolls back after the
	 * connection was lost, and then hides the original connection failure.
	 */
	private static boolean isClosedByPool(SQLException ex) {
		return ex.getSQLState() == null && "Connection is closed".equals(ex.getMessage());
	}

	private static boolean isTransientState(String state) {
		return state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state));
	}

}
