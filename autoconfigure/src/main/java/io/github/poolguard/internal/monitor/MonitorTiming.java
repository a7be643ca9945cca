package io.github.poolguard.internal.monitor;

import java.time.Duration;
import java.time.Instant;

/**
 * The {@link ServerMonitor}'s times: how often it samples, how long a sample may take, when its
 * reading is stale, and how long its session may stay idle.
 * <p>
 * The server ends the connection of a monitor that stops sampling (a frozen JVM, a network
 * partition) after its idle limit: the session sets {@code idle_session_timeout} (PostgreSQL 14
 * and later) and TCP keepalives, and notes the limit for the other instances, which stop counting
 * it as an instance once it is idle longer.
 *
 * @param interval time between samples
 * @param queryTimeout longest a sampling query may take
 * @param idleLimit how long the monitor's session may stay idle
 */
record MonitorTiming(Duration interval, Duration queryTimeout, Duration idleLimit) {

	/**
	 * Return the times for the given interval and query timeout, with an idle limit of three
	 * intervals and the query timeout, at least {@link ServerMonitor#MIN_IDLE_LIMIT}.
	 * @param interval time between samples
	 * @param queryTimeout longest a sampling query may take
	 * @return the times
	 */
	static MonitorTiming of(Duration interval, Duration queryTimeout) {
		return new MonitorTiming(interval, queryTimeout, idleLimit(interval, queryTimeout));
	}

	static Duration idleLimit(Duration interval, Duration queryTimeout) {
		Duration limit = interval.multipliedBy(3).plus(queryTimeout);
		return (limit.compareTo(ServerMonitor.MIN_IDLE_LIMIT) < 0) ? ServerMonitor.MIN_IDLE_LIMIT : limit;
	}

	boolean isStale(ServerReading reading, Instant now) {
		Duration staleAfter = this.interval.multipliedBy(3).plus(this.queryTimeout);
		return Duration.between(reading.readAt(), now).compareTo(staleAfter) > 0;
	}

	// The server ends the session of a monitor that stopped sampling, so that a frozen or
	// unreachable instance leaves the fleet's order within the idle limit rather than when the
	// operating system's keepalive gives up (about two hours by default). idle_session_timeout
	// ends an idle session whatever the network does; the keepalives and tcp_user_timeout end
	// one the server cannot reach, before PostgreSQL 14 too. Over a Unix socket they do nothing.
	String sessionSettings(int serverMajorVersion) {
		long limitMillis = this.idleLimit.toMillis();
		long limitSeconds = Math.max(1, (limitMillis + 999) / 1000);
		long probeSeconds = Math.max(1, (this.interval.toMillis() + 999) / 1000);
		StringBuilder settings = new StringBuilder();
		settings.append("SET statement_timeout = ").append(this.queryTimeout.toMillis());
		if (serverMajorVersion >= 14) {
			settings.append("; SET idle_session_timeout = ").append(limitMillis);
		}
		settings.append("; SET tcp_keepalives_idle = ").append(limitSeconds);
		settings.append("; SET tcp_keepalives_interval = ").append(probeSeconds);
		settings.append("; SET tcp_keepalives_count = 3");
		if (serverMajorVersion >= 12) {
			settings.append("; SET tcp_user_timeout = ").append(limitMillis);
		}
		return settings.toString();
	}

}
