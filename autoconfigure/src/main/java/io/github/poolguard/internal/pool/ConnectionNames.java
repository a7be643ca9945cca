package io.github.poolguard.internal.pool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;

import org.jspecify.annotations.Nullable;

/**
 * Builds the {@code application_name} each PoolGuard connection carries, so
 * {@code pg_stat_activity} tells app, background and monitor connections apart.
 */
public final class ConnectionNames {

	/**
	 * PostgreSQL truncates {@code application_name} to this many bytes (NAMEDATALEN - 1).
	 */
	public static final int MAX_BYTES = 63;

	/**
	 * The role of the app pool's connections.
	 */
	public static final String APP = "app";

	/**
	 * The role of the background pool's connections.
	 */
	public static final String BACKGROUND = "background";

	/**
	 * The role of the short-lived connection that checks the budget at startup.
	 */
	public static final String STARTUP = "startup";

	/**
	 * The role of the server monitor's connection, which always carries the instance id.
	 */
	public static final String MONITOR = "monitor";

	/**
	 * The role of the connection to PgBouncer's admin console.
	 */
	public static final String PGBOUNCER_CONSOLE = "pgbouncer-console";

	/**
	 * The role of the session that holds exclusive batch claims (advisory locks).
	 */
	public static final String CLAIM = "claim";

	private static final String LONGEST_ROLE = PGBOUNCER_CONSOLE;

	// One room for every name, with or without an instance id: names that carried no id once had
	// more room, so a long name's pool connections did not start with the prefix its monitor
	// looks for, and counted as another application's.
	private static final int APPLICATION_ROOM = MAX_BYTES - 1 - LONGEST_ROLE.length() - 1 - InstanceIds.MAX_LENGTH;

	// '~' and six base-36 characters of the whole name's SHA-256: over two billion values, so two
	// applications cut to the same beginning practically never meet, and readable enough.
	private static final int HASH_LENGTH = 6;

	private static final String HASH_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

	private ConnectionNames() {
	}

	/**
	 * Return {@code <application>:<role>}, shortening the application part as
	 * {@link #applicationPart(String)} does.
	 * @param application the application name
	 * @param role the connection's role, such as {@link #APP}
	 * @return the application name to send
	 */
	public static String of(String application, String role) {
		return of(application, role, null);
	}

	/**
	 * Return {@code <application>:<role>:<instance>} (or {@code <application>:<role>} without
	 * an instance), shortening the application part so that the whole fits in
	 * {@link #MAX_BYTES} bytes: the role and the instance id are never cut, whatever the
	 * role's length.
	 * @param application the application name
	 * @param role the connection's role, such as {@link #APP}
	 * @param instance the instance id, or {@code null} when the application runs as one instance
	 * @return the application name to send
	 */
	public static String of(String application, String role, @Nullable String instance) {
		String suffix = ":" + ascii(role) + ((instance != null) ? ":" + instance : "");
		return shorten(application, Math.min(APPLICATION_ROOM, MAX_BYTES - suffix.length())) + suffix;
	}

	/**
	 * Return the application part every connection name of this application starts with,
	 * whatever its role and whether it carries an instance id: the name with room left for
	 * the longest role and the longest id, so that all connections share it and the monitor can
	 * recognise the application's connections. The server keeps only printable ASCII in
	 * {@code application_name}, so the name is sent in that form (accents dropped, {@code …} as
	 * {@code ...}, anything else as {@code ?}): what the monitor looks for is then exactly what
	 * the server shows. A name longer than the room keeps its beginning and ends with
	 * {@code ~} and a short hash of the whole name, so that two applications whose names differ
	 * only past the cut stay two fleets.
	 * @param application the application name
	 * @return the application part, without the separator
	 */
	public static String applicationPart(String application) {
		return shorten(application, APPLICATION_ROOM);
	}

	/**
	 * Return the text as the server will keep it in {@code application_name}: printable ASCII.
	 * @param text the text
	 * @return the text with accents dropped, compatibility forms decomposed and any other
	 * character that is not printable ASCII replaced by {@code ?}
	 */
	public static String ascii(String text) {
		String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
		StringBuilder result = new StringBuilder(decomposed.length());
		decomposed.codePoints().forEach((c) -> result.append((c >= 0x20 && c < 0x7f) ? (char) c : '?'));
		return result.toString();
	}

	/**
	 * Return the instance part of a connection name this application gave, for counting
	 * instances in {@code pg_stat_activity}.
	 * @param applicationPrefix the (possibly shortened) application name followed by ':'
	 * @param connectionName an {@code application_name} seen on the server
	 * @return the instance id; {@code ""} for a name of this application without one; or
	 * {@code null} when the name is not this application's
	 */
	public static @Nullable String instanceOf(String applicationPrefix, String connectionName) {
		if (!connectionName.startsWith(applicationPrefix)) {
			return null;
		}
		String rest = connectionName.substring(applicationPrefix.length());
		int colon = rest.indexOf(':');
		return (colon >= 0) ? rest.substring(colon + 1) : "";
	}

	// The whole name, as configured, is hashed: names that differ only past the cut, or only in
	// characters the ASCII form loses past it, stay apart.
	private static String shorten(String application, int maxBytes) {
		String ascii = ascii(application);
		if (ascii.length() <= maxBytes) {
			return ascii;
		}
		if (maxBytes <= HASH_LENGTH + 1) {
			return ascii.substring(0, Math.max(0, maxBytes));
		}
		return ascii.substring(0, maxBytes - HASH_LENGTH - 1) + "~" + hash(application);
	}

	private static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			long value = 0;
			for (int i = 0; i < 8; i++) {
				value = (value << 8) | (digest[i] & 0xff);
			}
			value &= Long.MAX_VALUE;
			StringBuilder hash = new StringBuilder(HASH_LENGTH);
			for (int i = 0; i < HASH_LENGTH; i++) {
				hash.append(HASH_ALPHABET.charAt((int) (value % HASH_ALPHABET.length())));
				value /= HASH_ALPHABET.length();
			}
			return hash.toString();
		}
		catch (NoSuchAlgorithmException ex) {
			// every Java platform has SHA-256
			throw new IllegalStateException(ex);
		}
	}

}
