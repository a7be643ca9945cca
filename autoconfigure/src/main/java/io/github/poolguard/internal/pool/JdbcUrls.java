package io.github.poolguard.internal.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Small helpers for JDBC URLs: recognising PostgreSQL, removing credentials before a URL is
 * shown, and spotting pool settings written into a URL where the driver ignores them.
 */
public final class JdbcUrls {

	private static final String POSTGRES_PREFIX = "jdbc:postgresql:";

	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)((?:password|sslpassword|passwd|pwd)=)[^&;]*");

	/**
	 * Settings of other tools' connection strings (Prisma, Hikari, c3p0) that pgjdbc does not
	 * know: written into a JDBC URL they either do nothing or end up inside another parameter.
	 */
	private static final Set<String> POOL_PARAMETERS = Set.of("connection_limit", "pool_timeout", "pool_size",
			"pgbouncer", "schema", "maximumpoolsize", "maxpoolsize", "minimumidle", "connectiontimeout",
			"max_connections", "pool_max_conn_lifetime", "max_pool_size");

	private JdbcUrls() {
	}

	/**
	 * Return whether the URL is a PostgreSQL JDBC URL.
	 * @param url the URL, possibly {@code null}
	 * @return {@code true} for {@code jdbc:postgresql:} URLs
	 */
	public static boolean isPostgres(@Nullable String url) {
		return url != null && url.regionMatches(true, 0, POSTGRES_PREFIX, 0, POSTGRES_PREFIX.length());
	}

	/**
	 * Return the URL with any user info and password parameters masked, safe for a log line.
	 * @param url the URL, possibly {@code null}
	 * @return the redacted URL
	 */
	public static String redact(@Nullable String url) {
		if (url == null) {
			return "(none)";
		}
		String redacted = url;
		int slashes = url.indexOf("//");
		if (slashes >= 0) {
			// unencoded '@', '/' or '?' in a password are masked too
			int at = UserInfo.end(url.substring(slashes + 2));
			if (at >= 0) {
				redacted = url.substring(0, slashes + 2) + "******" + url.substring(slashes + 2 + at);
			}
		}
		return SECRET_PARAMETER.matcher(redacted).replaceAll("$1******");
	}

	/**
	 * Return the mistakes of a PostgreSQL URL that carries settings it should not: a second
	 * {@code ?} (which makes pgjdbc read the rest as part of a value, the "table
	 * {@code public?connection_limit=5.company} does not exist" trap), parameters that belong to
	 * a pool, not to the driver, and an {@code options} parameter, which would replace the
	 * server-side limits PoolGuard sends.
	 * @param url the URL
	 * @return one plain sentence per problem, empty when there is none
	 */
	public static List<String> findMisplacedSettings(String url) {
		List<String> problems = new ArrayList<>();
		int query = url.indexOf('?');
		if (query < 0) {
			return problems;
		}
		if (url.indexOf('?', query + 1) >= 0) {
			problems.add("it has a second '?', so pgjdbc reads everything after it as part of the value before it");
		}
		for (String pair : url.substring(query + 1).split("[&?]")) {
			String name = pair.split("=", 2)[0].toLowerCase(Locale.ROOT);
			if (POOL_PARAMETERS.contains(name)) {
				problems.add("parameter '" + name + "' is a pool setting that the PostgreSQL driver ignores");
			}
			if (name.equals("options")) {
				problems.add("parameter 'options' replaces the statement, idle-in-transaction and lock timeouts"
						+ " PoolGuard sends; set it as data-source-properties.options of the pool instead, where"
						+ " PoolGuard adds its limits to yours");
			}
		}
		return problems;
	}

	/**
	 * Return the database name of a PostgreSQL JDBC URL: the path after host and port.
	 * @param url the URL
	 * @return the database name, or {@code null} when the URL names none
	 */
	public static @Nullable String databaseName(String url) {
		int start = url.indexOf("//");
		if (start < 0) {
			return null;
		}
		int slash = url.indexOf('/', start + 2);
		if (slash < 0) {
			return null;
		}
		int end = url.indexOf('?', slash);
		String name = (end < 0) ? url.substring(slash + 1) : url.substring(slash + 1, end);
		return name.isEmpty() ? null : name;
	}

}
