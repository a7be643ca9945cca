package io.github.poolguard.internal.pgbouncer;

import java.time.Duration;
import java.time.Instant;

/**
 * PgBouncer's pools for the application's database, summed over its users, as
 * {@code SHOW POOLS} reports them.
 *
 * @param sampledAt when the admin console was read
 * @param clientsActive client connections paired with a server connection
 * @param clientsWaiting client connections waiting for a server connection
 * ({@code cl_waiting})
 * @param serversActive server connections in use by a client
 * @param serversIdle server connections idle and ready
 * @param maxWait how long the oldest waiting client has waited ({@code maxwait},
 * {@code maxwait_us})
 */
public record PgBouncerPools(Instant sampledAt, int clientsActive, int clientsWaiting, int serversActive,
		int serversIdle, Duration maxWait) {

}
