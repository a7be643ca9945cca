package io.github.poolguard.internal.monitor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.poolguard.internal.pool.ConnectionNames;
import org.jspecify.annotations.Nullable;

/**
 * Reads one {@link ServerSample} of the server's connections on a connection it is given:
 * the connection settings and {@code pg_stat_activity}, grouped by state and application name.
 * Holds no connection and no state; the caller owns the connection and its lifecycle.
 */
public final class ServerSampler {

	/**
	 * Applications other than this one listed by name in a sample; the rest are summed.
	 */
	static final int TOP_OTHER_APPLICATIONS = 5;

	private static final String SETTINGS_QUERY = """
			SELECT current_setting('max_connections')::int,
			       current_setting('superuser_reserved_connections')::int,
			       current_setting('reserved_connections', true)::int,
			       coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
			""";

	// Rows of other roles hide backend_type and state from a role without pg_read_all_stats,
	// but not usesysid and datid: a hidden row with a user and a database is another role's
	// client (the logical replication launcher has a user but no database).
	private static final String ACTIVITY_QUERY = """
			SELECT coalesce(state, 'unknown'), coalesce(application_name, ''), count(*),
			       coalesce(max(extract(epoch FROM clock_timestamp() - state_change) * 1000)
			           FILTER (WHERE state LIKE 'idle in transaction%'), -1)::bigint
			FROM pg_stat_activity
			WHERE backend_type = 'client backend'
			   OR (backend_type IS NULL AND usesysid IS NOT NULL AND datid IS NOT NULL)
			GROUP BY 1, 2
			""";

	// What an instance's monitor connection says of its pools, in the text of its latest query.
	private static final String NOTE = "poolguard pools=";

	private static final Pattern NOTE_PATTERN = Pattern.compile("^/\\* poolguard pools=(\\d{1,9}) \\*/");

	// How long that monitor may stay idle, in a note of its own after the pools' note: instances
	// that read only the first note keep reading it.
	private static final String IDLE_NOTE = "poolguard idle-limit=";

	private static final Pattern IDLE_NOTE_PATTERN = Pattern
		.compile("^(?:/\\* poolguard pools=\\d{1,9} \\*/ )?/\\* poolguard idle-limit=(\\d{1,12}) \\*/");

	private final String applicationPrefix;

	private final Duration queryTimeout;

	private final @Nullable Duration idleLimit;

	private final Clock clock;

	/**
	 * Create a sampler.
	 * @param applicationName the (possibly shortened) application part of this application's
	 * connection names: its connections are always listed by name
	 * @param queryTimeout longest a sampling query may take
	 * @param clock stamps the samples
	 */
	public ServerSampler(String applicationName, Duration queryTimeout, Clock clock) {
		this(applicationName, queryTimeout, null, clock);
	}

	/**
	 * Create a sampler whose samples also note, on the connection, how long it may stay idle
	 * before the other instances stop counting its instance.
	 * @param applicationName the (possibly shortened) application part of this application's
	 * connection names: its connections are always listed by name
	 * @param queryTimeout longest a sampling query may take
	 * @param idleLimit how long the connection may stay idle between samples, or {@code null}
	 * to note nothing
	 * @param clock stamps the samples
	 */
	public ServerSampler(String applicationName, Duration queryTimeout, @Nullable Duration idleLimit, Clock clock) {
		this.applicationPrefix = applicationName + ":";
		this.queryTimeout = queryTimeout;
		this.idleLimit = idleLimit;
		this.clock = clock;
	}

	/**
	 * Read one sample.
	 * @param connection an open connection to the server; left open
	 * @return the sample
	 * @throws SQLException when a query fails or times out (SQLState 57014)
	 */
	public ServerSample sample(Connection connection) throws SQLException {
		return sample(connection, null);
	}

	/**
	 * Read one sample, leaving a note on this connection that the other instances of the
	 * application read in {@code pg_stat_activity} (the text of its latest query): how many
	 * connections this instance's pools may hold now, see {@link ServerSample#published()}.
	 * @param connection an open connection to the server; left open
	 * @param poolsMax the connections this instance's pools may hold together now, or
	 * {@code null} to leave no note
	 * @return the sample
	 * @throws SQLException when a query fails or times out (SQLState 57014)
	 */
	public ServerSample sample(Connection connection, @Nullable Integer poolsMax) throws SQLException {
		int timeoutSeconds = (int) Math.max(1, (this.queryTimeout.toMillis() + 999) / 1000);
		// every statement carries the note: another instance may read this connection's query
		// text while any of them runs, and a missing note would make this instance look unknown
		String note = note(poolsMax);
		try (Statement statement = connection.createStatement()) {
			statement.setQueryTimeout(timeoutSeconds);
			int maxConnections;
			int superuserReserved;
			Integer reserved;
			boolean superuser;
			try (ResultSet rs = statement.executeQuery(note + SETTINGS_QUERY)) {
				rs.next();
				maxConnections = rs.getInt(1);
				superuserReserved = rs.getInt(2);
				int value = rs.getInt(3);
				reserved = rs.wasNull() ? null : value;
				superuser = rs.getBoolean(4);
			}
			Map<String, Integer> byState = new LinkedHashMap<>();
			Map<String, Integer> byApplication = new LinkedHashMap<>();
			int inUse = 0;
			int idleInTransaction = 0;
			int otherClients = 0;
			long oldestIdleMillis = -1;
			List<String> instances = new ArrayList<>();
			Map<String, Integer> published = new LinkedHashMap<>();
			Map<String, Integer> ownSessions = new LinkedHashMap<>();
			try (ResultSet rs = statement.executeQuery(note + ACTIVITY_QUERY)) {
				while (rs.next()) {
					String state = rs.getString(1);
					String application = rs.getString(2);
					int count = rs.getInt(3);
					inUse += count;
					byState.merge(state, count, Integer::sum);
					byApplication.merge(application.isEmpty() ? ServerSample.UNNAMED : application, count,
							Integer::sum);
					if (!application.startsWith(this.applicationPrefix)) {
						otherClients += count;
					}
					else {
						ownSessions.merge(application, count, Integer::sum);
					}
					if (state.startsWith("idle in transaction")) {
						idleInTransaction += count;
						oldestIdleMillis = Math.max(oldestIdleMillis, rs.getLong(4));
					}
				}
			}
			instances(statement, note, instances, published);
			otherClients += heldByGoneInstances(ownSessions, instances);
			return new ServerSample(this.clock.instant(), maxConnections, superuserReserved, reserved, inUse,
					byState, boundApplications(byApplication), idleInTransaction,
					(oldestIdleMillis >= 0) ? Duration.ofMillis(oldestIdleMillis) : null, superuser,
					instances, published, otherClients);
		}
	}

	/**
	 * Return the note this sampler leaves in the text of every statement it runs, for any other
	 * statement run on the monitor's connection: what this instance's pools may hold, and how
	 * long its monitor may stay idle.
	 * @param poolsMax the connections this instance's pools may hold now, or {@code null} to
	 * note nothing about them
	 * @return the note, a comment to put before a statement, or an empty string
	 */
	public String note(@Nullable Integer poolsMax) {
		return ((poolsMax != null) ? "/* " + NOTE + poolsMax + " */ " : "")
				+ ((this.idleLimit != null) ? "/* " + IDLE_NOTE + this.idleLimit.toMillis() + " */ " : "");
	}

	// Every instance keeps its monitor connection open, and that connection always carries the
	// instance id, so an instance that is up is seen here even when its pools sit idle or go
	// through PgBouncer. Only monitor connections are counted: pools of a single instance are
	// named without an id. They are listed in the order their monitor connections began, which
	// every instance reads alike: the fleet's division serves the longest running first.
	// A monitor idle for longer than the limit it noted has stopped sampling (a frozen JVM, a
	// partition): the server ends such a session from PostgreSQL 14 on, and until it does (or
	// on an older server, where nothing ends it but TCP keepalive) it is no instance here.
	private void instances(Statement statement, String note, List<String> instances, Map<String, Integer> published)
			throws SQLException {
		String monitorPrefix = this.applicationPrefix + ConnectionNames.MONITOR + ":";
		try (ResultSet rs = statement.executeQuery(note + "SELECT application_name, query,"
				+ " CASE WHEN state = 'idle' THEN (extract(epoch FROM clock_timestamp() - state_change) * 1000)::bigint"
				+ " ELSE -1 END FROM pg_stat_activity"
				+ " WHERE starts_with(application_name, " + literal(monitorPrefix) + ")"
				+ " ORDER BY backend_start, application_name")) {
			while (rs.next()) {
				String instance = ConnectionNames.instanceOf(this.applicationPrefix, rs.getString(1));
				if (instance == null || instance.isEmpty()) {
					continue;
				}
				String query = String.valueOf(rs.getString(2));
				long idleMillis = rs.getLong(3);
				Matcher limit = IDLE_NOTE_PATTERN.matcher(query);
				if (idleMillis >= 0 && limit.find() && idleMillis > Long.parseLong(limit.group(1))) {
					continue;
				}
				if (!instances.contains(instance)) {
					instances.add(instance);
				}
				Matcher matcher = NOTE_PATTERN.matcher(query);
				if (matcher.find()) {
					published.merge(instance, Integer.parseInt(matcher.group(1)), Math::max);
				}
			}
		}
	}

	// What an instance that is not seen as one (its monitor ended or stopped sampling) still
	// holds on the server stays held until the server ends it: its sessions count as other
	// clients, so nobody's share takes them. Only names that carry an instance id tell whose
	// they are; the two-part names of single instances stay the application's own.
	private int heldByGoneInstances(Map<String, Integer> ownSessions, List<String> instances) {
		int held = 0;
		for (Map.Entry<String, Integer> session : ownSessions.entrySet()) {
			String instance = ConnectionNames.instanceOf(this.applicationPrefix, session.getKey());
			if (instance != null && !instance.isEmpty() && !instances.contains(instance)) {
				held += session.getValue();
			}
		}
		return held;
	}

	private static String literal(String text) {
		return "'" + text.replace("'", "''") + "'";
	}

	private Map<String, Integer> boundApplications(Map<String, Integer> counts) {
		Map<String, Integer> bounded = new LinkedHashMap<>();
		List<Map.Entry<String, Integer>> others = new ArrayList<>();
		counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach((entry) -> {
			if (entry.getKey().startsWith(this.applicationPrefix)) {
				bounded.put(entry.getKey(), entry.getValue());
			}
			else {
				others.add(entry);
			}
		});
		int rest = 0;
		for (int i = 0; i < others.size(); i++) {
			if (i < TOP_OTHER_APPLICATIONS) {
				bounded.put(others.get(i).getKey(), others.get(i).getValue());
			}
			else {
				rest += others.get(i).getValue();
			}
		}
		if (rest > 0) {
			bounded.put(ServerSample.OTHERS, rest);
		}
		return bounded;
	}

}
