package io.github.poolguard.internal.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One immutable sample of the server's connections, taken by the {@link ServerMonitor}.
 *
 * @param sampledAt when the sample was taken
 * @param maxConnections {@code max_connections}
 * @param superuserReservedConnections {@code superuser_reserved_connections}
 * @param reservedConnections {@code reserved_connections}, or {@code null} before
 * PostgreSQL 16
 * @param inUse client backends connected, whatever their state or role
 * @param byState client backends by {@code state}; sessions of other roles whose state this
 * role may not see count as {@code unknown}
 * @param byApplication client backends by {@code application_name}: this application's
 * names, the busiest others, and the rest under {@link #OTHERS}
 * @param idleInTransaction sessions idle inside an open transaction
 * @param oldestIdleInTransaction how long the oldest of them has been idle, or {@code null}
 * when there is none
 * @param superuser whether the monitor's role is a superuser
 * @param instances the ids of this application's instances that have a connection on the
 * server (the third part of {@code <app>:<pool>:<instance>}; {@link #UNNAMED} for connections
 * named without an instance), sorted
 */
public record ServerSample(Instant sampledAt, int maxConnections, int superuserReservedConnections,
		@Nullable Integer reservedConnections, int inUse, Map<String, Integer> byState,
		Map<String, Integer> byApplication, int idleInTransaction, @Nullable Duration oldestIdleInTransaction,
		boolean superuser, List<String> instances, Map<String, Integer> published, int otherClients) {

	/**
	 * The {@link #byApplication()} key that sums the applications not listed by name.
	 */
	public static final String OTHERS = "(others)";

	/**
	 * The {@link #byApplication()} key of sessions without an {@code application_name}.
	 */
	public static final String UNNAMED = "(unnamed)";

	/**
	 * Create a sample.
	 * @param sampledAt when the sample was taken
	 * @param maxConnections {@code max_connections}
	 * @param superuserReservedConnections {@code superuser_reserved_connections}
	 * @param reservedConnections {@code reserved_connections}, or {@code null}
	 * @param inUse client backends connected
	 * @param byState client backends by state
	 * @param byApplication client backends by application name
	 * @param idleInTransaction sessions idle in a transaction
	 * @param oldestIdleInTransaction age of the oldest of them, or {@code null}
	 * @param superuser whether the monitor's role is a superuser
	 * @param instances this application's instance ids seen on the server, the longest
	 * connected first (by when their monitor connection began), so every instance lists them in
	 * the same order
	 * @param published by instance id, the connections that instance's pools may hold now, as
	 * its monitor connection last said (instances that say nothing are missing)
	 * @param otherClients client backends that are not this application's: other services,
	 * operators' sessions, unnamed connections; and the sessions of this application's
	 * instances that are not counted as instances (their monitor ended, or stopped sampling),
	 * which hold what they hold until the server ends them
	 */
	public ServerSample {
		byState = Collections.unmodifiableMap(new LinkedHashMap<>(byState));
		byApplication = Collections.unmodifiableMap(new LinkedHashMap<>(byApplication));
		instances = List.copyOf(instances);
		published = Map.copyOf(published);
	}

	/**
	 * Create a sample that lists no instances.
	 * @param sampledAt when the sample was taken
	 * @param maxConnections {@code max_connections}
	 * @param superuserReservedConnections {@code superuser_reserved_connections}
	 * @param reservedConnections {@code reserved_connections}, or {@code null}
	 * @param inUse client backends connected
	 * @param byState client backends by state
	 * @param byApplication client backends by application name
	 * @param idleInTransaction sessions idle in a transaction
	 * @param oldestIdleInTransaction age of the oldest of them, or {@code null}
	 * @param superuser whether the monitor's role is a superuser
	 */
	public ServerSample(Instant sampledAt, int maxConnections, int superuserReservedConnections,
			@Nullable Integer reservedConnections, int inUse, Map<String, Integer> byState,
			Map<String, Integer> byApplication, int idleInTransaction, @Nullable Duration oldestIdleInTransaction,
			boolean superuser) {
		this(sampledAt, maxConnections, superuserReservedConnections, reservedConnections, inUse, byState,
				byApplication, idleInTransaction, oldestIdleInTransaction, superuser, List.of(), Map.of(), 0);
	}

	/**
	 * Return the connections ordinary roles may open: {@code max_connections} less
	 * {@code superuser_reserved_connections} and {@code reserved_connections}.
	 * @return the usable connections, at least 1
	 */
	public int usable() {
		int reserved = (this.reservedConnections != null) ? this.reservedConnections : 0;
		return Math.max(1, this.maxConnections - this.superuserReservedConnections - reserved);
	}

	/**
	 * Return the share of usable connections in use. It can exceed 1, since superusers may use
	 * the reserved connections too.
	 * @return in use divided by usable
	 */
	public double usage() {
		return (double) this.inUse / usable();
	}

}
