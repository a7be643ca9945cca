package io.github.poolguard.assessment;

/**
 * The one status vocabulary for the application's connections; health, the {@code db}
 * indicator and the endpoint all translate this one verdict.
 */
public enum ConnectionsStatus {

	/**
	 * Below the warning threshold, nothing to warn about.
	 */
	UP,

	/**
	 * Still serving, but connection use needs attention: the warning or critical threshold (the
	 * level is in the details), a server too busy to answer the monitor, pool waiters, a long
	 * idle transaction, more instances than budgeted.
	 */
	WARNING,

	/**
	 * This instance cannot reach its server, or the monitor has stopped sampling. A crowded
	 * server is never DOWN: it is a {@link #WARNING}, so that no load balancer takes every
	 * instance out at once.
	 */
	DOWN

}
