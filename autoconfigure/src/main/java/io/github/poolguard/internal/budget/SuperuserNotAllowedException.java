package io.github.poolguard.internal.budget;

/**
 * Thrown at startup when the pools log in as a superuser and
 * {@code poolguard.security.allow-superuser} is {@code false}.
 */
public class SuperuserNotAllowedException extends RuntimeException {

	private final String username;

	/**
	 * Create an exception.
	 * @param username the superuser role the pools log in as
	 */
	public SuperuserNotAllowedException(String username) {
		super("The pools log in as '" + username + "', a superuser role");
		this.username = username;
	}

	/**
	 * Return the role.
	 * @return the role name
	 */
	public String getUsername() {
		return this.username;
	}

}
