package io.github.poolguard.internal.routing;

import java.sql.SQLException;

import io.github.poolguard.routing.Workload;

/**
 * Decides whether a connection may be taken from a pool at all, before the pool is asked for
 * one: for instance while this instance of the application has no share of the server's
 * connections.
 */
@FunctionalInterface
public interface ConnectionGate {

	/**
	 * Pass, possibly after waiting, or refuse.
	 * @param workload the workload that asks for a connection
	 * @throws SQLException when no connection may be taken now
	 */
	void pass(Workload workload) throws SQLException;

}
