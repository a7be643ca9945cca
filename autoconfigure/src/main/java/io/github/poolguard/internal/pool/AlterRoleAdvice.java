package io.github.poolguard.internal.pool;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The {@code ALTER ROLE … SET} statements that give the pools' roles their server-side limits
 * where those cannot travel as startup options (behind PgBouncer in transaction mode).
 *
 * @param appRole the role of the app pool
 * @param app the app pool's limits
 * @param backgroundRole the role of the background pool
 * @param background the background pool's limits
 */
public record AlterRoleAdvice(String appRole, ServerLimits app, String backgroundRole, ServerLimits background) {

	/**
	 * Return the statements to run, one a line: for the app role, and for the background role
	 * when it is another.
	 * @return the statements
	 */
	public String statements() {
		String statements = this.app.toAlterRoleStatements(this.appRole);
		if (!this.backgroundRole.equals(this.appRole)) {
			statements += this.background.toAlterRoleStatements(this.backgroundRole);
		}
		return statements;
	}

	/**
	 * Return the background pool's limits when they cannot be set apart: it logs in as the app's
	 * role but has other limits.
	 * @return the limits as parameters in milliseconds, or {@code null} when there is no conflict
	 */
	public @Nullable Map<String, Long> conflictingBackgroundLimits() {
		if (this.backgroundRole.equals(this.appRole) && !this.background.equals(this.app)) {
			return this.background.asParameters();
		}
		return null;
	}

}
