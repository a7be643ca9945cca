package io.github.poolguard.internal.pool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server-side limits for one pool's sessions, sent as startup options so they are in force from
 * the first statement. A zero duration means "no limit", as it does in PostgreSQL.
 *
 * @param statementTimeout the {@code statement_timeout}
 * @param idleInTransactionTimeout the {@code idle_in_transaction_session_timeout}
 * @param lockTimeout the {@code lock_timeout}
 */
public record ServerLimits(Duration statementTimeout, Duration idleInTransactionTimeout, Duration lockTimeout) {

	/**
	 * Extra time on top of the statement timeout before the driver gives up on a silent socket.
	 */
	public static final Duration SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(15);

	/**
	 * Return the limits as server parameters, in milliseconds.
	 * @return parameter name to value, in a stable order
	 */
	public Map<String, Long> asParameters() {
		Map<String, Long> parameters = new LinkedHashMap<>();
		parameters.put("statement_timeout", this.statementTimeout.toMillis());
		parameters.put("idle_in_transaction_session_timeout", this.idleInTransactionTimeout.toMillis());
		parameters.put("lock_timeout", this.lockTimeout.toMillis());
		return parameters;
	}

	/**
	 * Return the limits in the form of pgjdbc's {@code options} connection property, keeping
	 * any options already there. A parameter the existing options set already is left to them.
	 * @param existing the options already configured, or {@code null}
	 * @return the combined options
	 */
	public String toStartupOptions(String existing) {
		StringBuilder options = new StringBuilder((existing != null) ? existing.trim() : "");
		asParameters().forEach((name, millis) -> {
			if (existing == null || !existing.contains(name + "=")) {
				if (!options.isEmpty()) {
					options.append(' ');
				}
				options.append("-c ").append(name).append('=').append(millis);
			}
		});
		return options.toString();
	}

	/**
	 * Return the pgjdbc socket timeout that matches these limits: the statement timeout plus
	 * {@link #SOCKET_TIMEOUT_MARGIN}, so a statement the server cancels is never cut by the
	 * client first, yet a connection to a server that stopped answering is given up. Zero (no
	 * socket timeout) when there is no statement timeout.
	 * @return the socket timeout in whole seconds
	 */
	public long socketTimeoutSeconds() {
		if (this.statementTimeout.isZero()) {
			return 0;
		}
		return this.statementTimeout.plus(SOCKET_TIMEOUT_MARGIN).toSeconds();
	}

	/**
	 * Return the {@code ALTER ROLE} statements that set these limits on the server, for setups
	 * where startup options cannot be sent.
	 * @param role the role name
	 * @return one statement per limit
	 */
	public String toAlterRoleStatements(String role) {
		StringBuilder sql = new StringBuilder();
		asParameters().forEach((name, millis) -> sql.append("ALTER ROLE \"")
			.append(role.replace("\"", "\"\""))
			.append("\" SET ")
			.append(name)
			.append(" = ")
			.append(millis)
			.append(";\n"));
		return sql.toString();
	}

}
