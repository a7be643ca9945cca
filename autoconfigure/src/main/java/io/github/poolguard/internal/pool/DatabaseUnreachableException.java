package io.github.poolguard.internal.pool;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Thrown when PoolGuard cannot open its own connection to the server. The message names the
 * server with credentials masked, and never carries the password.
 */
public class DatabaseUnreachableException extends RuntimeException {

	private final String target;

	private final int attempts;

	private final Duration elapsed;

	private final boolean retried;

	/**
	 * Create an exception.
	 * @param target the server, with credentials masked
	 * @param attempts how many connection attempts were made
	 * @param elapsed how long the attempts took
	 * @param retried whether the failure was retryable and the wait ran out (as opposed to a
	 * refusal that waiting cannot cure)
	 * @param cause the last failure
	 */
	public DatabaseUnreachableException(String target, int attempts, Duration elapsed, boolean retried,
			SQLException cause) {
		super("Cannot connect to " + target + " after " + attempts + " attempt(s) in " + elapsed.toMillis()
				+ " ms: " + cause.getMessage() + " [SQLState " + cause.getSQLState() + "]", cause);
		this.target = target;
		this.attempts = attempts;
		this.elapsed = elapsed;
		this.retried = retried;
	}

	/**
	 * Return the server, with credentials masked.
	 * @return the target
	 */
	public String getTarget() {
		return this.target;
	}

	/**
	 * Return how many attempts were made.
	 * @return the attempts
	 */
	public int getAttempts() {
		return this.attempts;
	}

	/**
	 * Return how long the attempts took.
	 * @return the elapsed time
	 */
	public Duration getElapsed() {
		return this.elapsed;
	}

	/**
	 * Return whether PoolGuard kept retrying until its wait ran out.
	 * @return {@code true} when the wait ran out, {@code false} when the server refused for a
	 * reason waiting cannot cure
	 */
	public boolean isRetried() {
		return this.retried;
	}

	/**
	 * Return the last failure's SQLState.
	 * @return the SQLState, possibly {@code null}
	 */
	public String getSqlState() {
		return ((SQLException) getCause()).getSQLState();
	}

}
