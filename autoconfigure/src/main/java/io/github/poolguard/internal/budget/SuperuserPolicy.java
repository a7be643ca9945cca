package io.github.poolguard.internal.budget;

import org.jspecify.annotations.Nullable;

/**
 * Whether the pools may log in as a superuser: a superuser bypasses every permission and may
 * take the connections the server keeps for administrators.
 *
 * @param allowed whether a superuser login is accepted (with a warning) rather than refused
 */
public record SuperuserPolicy(boolean allowed) {

	/**
	 * Apply the policy to the role the pools log in as.
	 * @param settings the server settings read on that role's connection
	 * @param username the role, or {@code null} for the driver's default
	 * @return {@code true} when the role is a superuser and that is allowed, so worth a warning
	 * @throws SuperuserNotAllowedException when the role is a superuser and that is not allowed
	 */
	public boolean check(ServerSettings settings, @Nullable String username) {
		if (!settings.superuser()) {
			return false;
		}
		if (!this.allowed) {
			throw new SuperuserNotAllowedException(roleName(username));
		}
		return true;
	}

	/**
	 * Return the role as people should read it.
	 * @param username the role, or {@code null}
	 * @return the role name, or a note that the driver picks it
	 */
	public static String roleName(@Nullable String username) {
		return (username != null) ? username : "(driver default)";
	}

}
