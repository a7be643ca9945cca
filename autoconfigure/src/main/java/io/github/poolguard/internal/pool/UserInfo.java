package io.github.poolguard.internal.pool;

import java.util.regex.Pattern;

/**
 * Finds where the user info of a URL ends, the way people paste passwords: unencoded {@code @},
 * {@code /} or {@code ?} in a password are common, so the end is not the first {@code /} or
 * {@code ?} after {@code //} but the {@code @} that is followed by what a server address looks
 * like (hosts and ports, then an optional database name without {@code @} and optional
 * {@code name=value} parameters). Anything before that {@code @} is secret.
 */
final class UserInfo {

	private static final String HOST = "(?:\\[[0-9A-Fa-f:.]*\\]|[A-Za-z0-9._%-]*)(?::[0-9A-Za-z]*)?";

	private static final String PARAMETER = "[A-Za-z_][A-Za-z0-9_.-]*(?:=[^&]*)?";

	// each repetition starts at a separator, so a long URL cannot make the match backtrack
	private static final Pattern SERVER_ADDRESS = Pattern.compile(
			HOST + "(?:," + HOST + ")*(?:/[^@?]*)?(?:\\?(?:" + PARAMETER + "(?:&" + PARAMETER + ")*&?)?)?");

	private UserInfo() {
	}

	/**
	 * Return the index of the {@code @} that ends the user info.
	 * @param afterScheme the URL after its {@code //}
	 * @return the index, or {@code -1} when the URL has no user info
	 */
	static int end(String afterScheme) {
		int at = afterScheme.indexOf('@');
		while (at >= 0) {
			if (SERVER_ADDRESS.matcher(afterScheme).region(at + 1, afterScheme.length()).matches()) {
				return at;
			}
			at = afterScheme.indexOf('@', at + 1);
		}
		// nothing after any '@' looks like a server: hide everything up to the last one
		return afterScheme.lastIndexOf('@');
	}

}
