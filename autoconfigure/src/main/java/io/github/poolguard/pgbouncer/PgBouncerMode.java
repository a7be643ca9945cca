package io.github.poolguard.pgbouncer;

/**
 * How PgBouncer, if present, hands server connections to the pools' client connections.
 */
public enum PgBouncerMode {

	/**
	 * No PgBouncer: the pools connect to PostgreSQL directly.
	 */
	NONE,

	/**
	 * PgBouncer in session mode: each client connection keeps one server connection while it
	 * is open, so session state and startup options work as they do directly.
	 */
	SESSION,

	/**
	 * PgBouncer in transaction mode: a client gets a server connection for one transaction
	 * only. Session state (startup options, {@code SET}, session advisory locks, server-side
	 * prepared statements) does not survive between transactions.
	 */
	TRANSACTION

}
