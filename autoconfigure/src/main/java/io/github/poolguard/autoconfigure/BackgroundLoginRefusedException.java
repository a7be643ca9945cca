package io.github.poolguard.autoconfigure;

/**
 * Thrown at startup when the background pool cannot log in: the server refused its credentials
 * or never answered at its URL. Carries the property to correct and what happened, never a
 * credential (Spring Boot's analysis of an invalid property value would print the password).
 */
class BackgroundLoginRefusedException extends RuntimeException {

	private final String property;

	BackgroundLoginRefusedException(String property, String description) {
		super(description);
		this.property = property;
	}

	String getProperty() {
		return this.property;
	}

}
