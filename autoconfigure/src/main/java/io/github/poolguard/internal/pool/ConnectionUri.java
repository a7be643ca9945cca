package io.github.poolguard.internal.pool;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A libpq-style connection URI as Node, Prisma, Heroku, Render or Supabase users paste it,
 * {@code postgres[ql]://user:password@host:port/db?…}, taken apart into a
 * {@code jdbc:postgresql://host:port/db?…} URL without credentials, the credentials, and the pool
 * settings written into it. Never shows the password: {@link #toString()} is redacted.
 *
 * @param jdbcUrl the JDBC URL, without credentials or pool settings
 * @param username the user name from the URI, or {@code null}
 * @param password the password from the URI, or {@code null}
 * @param maximumPoolSize {@code connection_limit}, or {@code null}
 * @param connectionTimeout {@code pool_timeout} (seconds), or {@code null}
 * @param pgbouncer whether the URI says {@code pgbouncer=true}
 * @param problems one sentence per part that cannot be used (a parameter, a port, a bad
 * escape), empty when there is none; never holding the password
 */
public record ConnectionUri(String jdbcUrl, @Nullable String username, @Nullable String password,
		@Nullable Integer maximumPoolSize, @Nullable Duration connectionTimeout, boolean pgbouncer,
		List<String> problems) {

	/**
	 * libpq and Prisma parameters pgjdbc understands under another name, or the same one.
	 */
	private static final Map<String, String> DRIVER_PARAMETERS = Map.of("sslmode", "sslmode", "sslcert", "sslcert",
			"sslkey", "sslkey", "sslrootcert", "sslrootcert", "schema", "currentSchema", "currentschema",
			"currentSchema", "connect_timeout", "connectTimeout", "socket_timeout", "socketTimeout");

	private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

	/**
	 * Create a parsed URI.
	 * @param jdbcUrl the JDBC URL
	 * @param username the user name, or {@code null}
	 * @param password the password, or {@code null}
	 * @param maximumPoolSize {@code connection_limit}, or {@code null}
	 * @param connectionTimeout {@code pool_timeout}, or {@code null}
	 * @param pgbouncer whether the URI says {@code pgbouncer=true}
	 * @param problems unusable parameters
	 */
	public ConnectionUri {
		problems = List.copyOf(problems);
	}

	/**
	 * Return whether a URL is a libpq-style connection URI ({@code postgres://} or
	 * {@code postgresql://}).
	 * @param url the URL, possibly {@code null}
	 * @return {@code true} for a connection URI
	 */
	public static boolean isConnectionUri(@Nullable String url) {
		if (url == null) {
			return false;
		}
		String lower = url.toLowerCase(Locale.ROOT);
		return lower.startsWith("postgres://") || lower.startsWith("postgresql://");
	}

	/**
	 * Take a connection URI apart.
	 * @param uri the URI, {@code postgres[ql]://[user[:password]@]host[:port][,…][/db][?…]}
	 * @return the parts
	 */
	public static ConnectionUri parse(String uri) {
		String rest = uri.substring(uri.indexOf("://") + 3);
		List<String> problems = new ArrayList<>();
		String username = null;
		String password = null;
		int at = UserInfo.end(rest);
		if (at >= 0) {
			String userInfo = rest.substring(0, at);
			rest = rest.substring(at + 1);
			int colon = userInfo.indexOf(':');
			username = decode((colon < 0) ? userInfo : userInfo.substring(0, colon), "the user name", problems);
			password = (colon < 0) ? null : decode(userInfo.substring(colon + 1), "the password", problems);
		}
		int pathStart = indexOfAny(rest, "/?");
		String authority = (pathStart < 0) ? rest : rest.substring(0, pathStart);
		String tail = (pathStart < 0) ? "" : rest.substring(pathStart);
		checkPorts(authority, problems);
		int query = tail.indexOf('?');
		String path = (query < 0) ? tail : tail.substring(0, query);
		List<String> driverParameters = new ArrayList<>();
		Integer maximumPoolSize = null;
		Duration connectionTimeout = null;
		boolean pgbouncer = false;
		Map<String, String> parameters = (query < 0) ? Map.of() : parameters(tail.substring(query + 1), problems);
		for (Map.Entry<String, String> parameter : parameters.entrySet()) {
			String name = parameter.getKey();
			String value = parameter.getValue();
			switch (name) {
				case "user" -> username = value;
				case "password" -> password = value;
				case "connection_limit" -> maximumPoolSize = positive(name, value, problems);
				case "pool_timeout" -> {
					Integer seconds = positive(name, value, problems);
					connectionTimeout = (seconds != null) ? Duration.ofSeconds(seconds) : null;
				}
				case "pgbouncer" -> pgbouncer = Boolean.parseBoolean(value);
				default -> {
					String driverName = DRIVER_PARAMETERS.get(name.toLowerCase(Locale.ROOT));
					if (driverName != null) {
						driverParameters.add(driverName + "=" + value);
					}
					else {
						problems.add("parameter '" + shown(name) + "' is not one PoolGuard can map (connection_limit,"
								+ " pool_timeout, pgbouncer, sslmode, sslcert, sslkey, sslrootcert, schema,"
								+ " connect_timeout, socket_timeout)");
					}
				}
			}
		}
		// no database: libpq connects to the one named like the user, and so does the server
		// when pgjdbc sends an empty name; pgjdbc itself refuses a URL without the '/'
		String jdbcUrl = "jdbc:postgresql://" + authority + (path.isEmpty() ? "/" : path)
				+ (driverParameters.isEmpty() ? "" : "?" + String.join("&", driverParameters));
		return new ConnectionUri(jdbcUrl, username, password, maximumPoolSize, connectionTimeout, pgbouncer, problems);
	}

	private static Map<String, String> parameters(String query, List<String> problems) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : query.split("&")) {
			if (!pair.isEmpty()) {
				String[] parts = pair.split("=", 2);
				String name = decode(parts[0], "a parameter name", problems);
				parameters.put(name, (parts.length > 1) ? decode(parts[1], "parameter '" + shown(name) + "'", problems) : "");
			}
		}
		return parameters;
	}

	// a name that is not a plain word may be the tail of a mistyped password: never show it
	private static String shown(String name) {
		return PLAIN_NAME.matcher(name).matches() ? name : "(a name that is not a plain word)";
	}

	private static void checkPorts(String authority, List<String> problems) {
		for (String host : authority.split(",")) {
			int colon = host.lastIndexOf(':');
			if (colon < 0 || host.endsWith("]")) {
				continue;
			}
			String port = host.substring(colon + 1);
			if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
				problems.add("the port of '" + host + "' must be a number from 1 to 65535, not '" + port + "'");
			}
		}
	}

	private static @Nullable Integer positive(String name, String value, List<String> problems) {
		try {
			int number = Integer.parseInt(value.trim());
			if (number > 0) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		problems.add("parameter '" + name + "' must be a whole number above 0, not '" + value + "'");
		return null;
	}

	private static int indexOfAny(String text, String characters) {
		for (int i = 0; i < text.length(); i++) {
			if (characters.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

	private static String decode(String text, String what, List<String> problems) {
		try {
			return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// the decoder's message quotes the text: it may be the password
			problems.add(what + " has a '%' not followed by two hexadecimal digits; write a '%' as %25");
			return text;
		}
	}

	@Override
	public String toString() {
		return "ConnectionUri[" + this.jdbcUrl + ((this.username != null) ? " as user '" + this.username + "'" : "")
				+ "]";
	}

}
