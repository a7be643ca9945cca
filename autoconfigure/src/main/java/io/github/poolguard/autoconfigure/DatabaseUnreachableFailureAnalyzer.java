package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.pool.DatabaseUnreachableException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link DatabaseUnreachableException} without repeating any credential.
 */
class DatabaseUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseUnreachableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseUnreachableException cause) {
		String state = cause.getSqlState();
		String description = "PoolGuard could not connect to " + cause.getTarget() + " at startup: "
				+ cause.getCause().getMessage() + " (SQLState " + state + ", " + cause.getAttempts() + " attempt(s) in "
				+ cause.getElapsed().toMillis() + " ms).";
		String action;
		if (state != null && state.startsWith("28") && mentionsTls(cause.getCause().getMessage())) {
			action = "The server wants TLS or a client certificate. Set them where the pool takes its driver settings:"
					+ " spring.datasource.hikari.data-source-properties.sslmode, .sslcert, .sslkey (PKCS-8 DER or"
					+ " PKCS-12) and .sslrootcert; PoolGuard's own connections use the same settings.";
		}
		else if (state != null && state.startsWith("28")) {
			action = "Check spring.datasource.username and spring.datasource.password (or poolguard.background.username"
					+ " and poolguard.background.password) against the server's roles and pg_hba.conf.";
		}
		else if ("53300".equals(state)) {
			description = "PoolGuard could not connect to " + cause.getTarget() + " at startup: the server refused"
					+ " because it is full, every connection slot open to ordinary roles is taken (SQLState 53300: "
					+ cause.getCause().getMessage() + "; " + cause.getAttempts() + " attempt(s) in "
					+ cause.getElapsed().toMillis() + " ms). Its max_connections cannot be read without a"
					+ " connection.";
			action = "See who holds the connections: connect as a superuser (the server keeps"
					+ " superuser_reserved_connections for them) and run SHOW max_connections; and SELECT usename,"
					+ " application_name, client_addr, state, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3, 4 ORDER"
					+ " BY 5 DESC; (PoolGuard's own connections are named <spring.application.name>:<pool>). Stop or"
					+ " shrink what holds them, raise max_connections, or raise poolguard.budget.wait-for-database"
					+ " to wait longer for a slot at startup.";
		}
		else if ("3D000".equals(state)) {
			action = "Create the database, or correct the database name in spring.datasource.url.";
		}
		else {
			action = "Check that the server in spring.datasource.url is running and reachable from here, or raise"
					+ " poolguard.budget.wait-for-database to wait longer for it at startup.";
		}
		return new FailureAnalysis(description, action, cause);
	}

	private static boolean mentionsTls(@Nullable String message) {
		return message != null && (message.contains("certificate") || message.contains("no encryption")
				|| message.contains("SSL"));
	}

}
