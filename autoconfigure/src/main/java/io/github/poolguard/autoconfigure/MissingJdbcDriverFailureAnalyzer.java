package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.pool.JdbcUrls;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains a pool that cannot start because the JDBC driver its URL needs is not on the class
 * path (HikariCP's "Failed to load driver class …", which Spring Boot leaves as a raw stack
 * trace), naming the URL property with credentials masked.
 */
class MissingJdbcDriverFailureAnalyzer extends AbstractFailureAnalyzer<ClassNotFoundException> {

	private static final String HIKARI_MESSAGE = "Failed to load driver class ";

	private final Environment environment;

	MissingJdbcDriverFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, ClassNotFoundException cause) {
		String driver = null;
		String prefix = "spring.datasource";
		for (Throwable failure = rootFailure; failure != null; failure = failure.getCause()) {
			String message = failure.getMessage();
			if (message != null && message.startsWith(HIKARI_MESSAGE)) {
				driver = message.substring(HIKARI_MESSAGE.length()).trim();
			}
			if (failure instanceof BeanCreationException creation && creation.getBeanName() != null
					&& creation.getBeanName().equals(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME)) {
				prefix = "poolguard.background";
			}
		}
		if (driver == null) {
			return null;
		}
		String url = this.environment.getProperty(prefix + ".url");
		String description = "The JDBC driver " + driver + " is not on the class path"
				+ ((url != null) ? ", and " + prefix + ".url (" + JdbcUrls.redact(url) + ") needs it." : ".");
		String action = "Correct " + prefix + ".url (PoolGuard's server features need a PostgreSQL URL,"
				+ " jdbc:postgresql://host:port/db or postgresql://user@host:port/db), or add the driver's dependency"
				+ " to the application.";
		return new FailureAnalysis(description, action, cause);
	}

}
