package io.github.poolguard.autoconfigure;

/**
 * Thrown at startup when the server refuses the background pool's login. Carries the property
 * to correct and the server's answer, never a credential (Spring Boot's analysis of an invalid
 * property value would print the password).
 */
class BackgroundLoginRefusedException extends RuntimeException {

	private final String property;

	BackgroundLoginRefusedException(String property, String target, String serverMessage, String sqlState) {
		super("The server refused the background pool's login to " + target + ": " + serverMessage + " (SQLState "
				+ sqlState + ")");
		this.property = property;
	}

	String getProperty() {
		return this.property;
	}

}
