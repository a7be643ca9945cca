package io.github.poolguard.internal.pgbouncer;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The pgjdbc settings the admin console needs, added to the URL the user gave. Settings on a URL
 * win over the pool's {@code data-source-properties}, which are meant for the server, not for
 * PgBouncer; a setting the URL states itself is kept.
 * <ul>
 * <li>{@code preferQueryMode=simple}: the console answers only the simple query protocol.</li>
 * <li>{@code assumeMinServerVersion=9.0}: {@code application_name} goes in the startup packet,
 * where PgBouncer accepts it, so SHOW CLIENTS names the connection.</li>
 * <li>{@code replication=database}: the console reports its own version ({@code 1.18.0/bouncer}),
 * so pgjdbc 42.7.6 and later send {@code SET extra_float_digits} after logging in, which every
 * released PgBouncer refuses on the console ("SET failed"). pgjdbc skips its setup {@code SET}s on
 * a connection with the {@code replication} property, and sends that property itself only when
 * {@code assumeMinServerVersion} is 9.4 or later, so the console never sees it. It is left out
 * when the URL assumes 9.4 or later.</li>
 * </ul>
 */
final class ConsoleUrl {

	private static final String QUERY_MODE = "preferQueryMode";

	private static final String MIN_VERSION = "assumeMinServerVersion";

	private static final String REPLICATION = "replication";

	private ConsoleUrl() {
	}

	/**
	 * Return the URL with the console's settings added where the URL does not state them.
	 * @param url the admin console URL as configured
	 * @return the URL to connect with
	 */
	static String of(String url) {
		Set<String> stated = parameterNames(url);
		StringBuilder result = new StringBuilder(url);
		if (!stated.contains(QUERY_MODE)) {
			append(result, QUERY_MODE, "simple");
		}
		String minVersion = stated.contains(MIN_VERSION) ? parameter(url, MIN_VERSION) : "9.0";
		if (!stated.contains(MIN_VERSION)) {
			append(result, MIN_VERSION, minVersion);
		}
		if (!stated.contains(REPLICATION) && !sendsReplication(minVersion)) {
			append(result, REPLICATION, "database");
		}
		return result.toString();
	}

	// pgjdbc puts replication in the startup packet from an assumed 9.4 on
	private static boolean sendsReplication(String version) {
		String[] parts = version.trim().split("\\.");
		try {
			int major = Integer.parseInt(parts[0]);
			int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
			return major > 9 || (major == 9 && minor >= 4);
		}
		catch (NumberFormatException ex) {
			// pgjdbc reads what it cannot parse as no version at all
			return false;
		}
	}

	private static void append(StringBuilder url, String name, String value) {
		url.append((url.indexOf("?") < 0) ? '?' : '&').append(name).append('=').append(value);
	}

	private static Set<String> parameterNames(String url) {
		Set<String> names = new LinkedHashSet<>();
		int query = url.indexOf('?');
		if (query >= 0) {
			for (String pair : url.substring(query + 1).split("&")) {
				names.add(pair.split("=", 2)[0]);
			}
		}
		return names;
	}

	private static String parameter(String url, String name) {
		String value = "";
		for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
			String[] nameAndValue = pair.split("=", 2);
			if (nameAndValue[0].equals(name)) {
				value = (nameAndValue.length > 1) ? nameAndValue[1] : "";
			}
		}
		return value;
	}

}
