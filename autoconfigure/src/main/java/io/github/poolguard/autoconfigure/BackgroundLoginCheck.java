package io.github.poolguard.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.pool.DatabaseUnreachableException;
import io.github.poolguard.internal.pool.ServerConnector;

/**
 * Verifies at startup, on one short-lived connection, that the server accepts the background
 * pool's login when it differs from the app pool's (its own URL, user or password), so a wrong
 * {@code poolguard.background.password} fails startup instead of the first batch.
 */
final class BackgroundLoginCheck {

	private BackgroundLoginCheck() {
	}

	/**
	 * Log in as the background pool once, unless it logs in exactly as the app pool does.
	 * @param connectionName the {@code application_name} of the check's connection
	 * @param appPool the app pool, whose login the startup check has just used
	 * @param backgroundPool the background pool
	 * @param wait how long to wait for a server that is still starting
	 * @throws BackgroundLoginRefusedException naming {@code poolguard.background.password} (or
	 * {@code .username}) when the server refuses the login, {@code poolguard.background.url}
	 * when it cannot be reached or never answers
	 */
	static void verify(String connectionName, HikariDataSource appPool, HikariDataSource backgroundPool,
			Duration wait) {
		ServerConnector connector = ServerConnector.of(backgroundPool, connectionName);
		if (!connector.isPostgres() || (Objects.equals(backgroundPool.getJdbcUrl(), appPool.getJdbcUrl())
				&& Objects.equals(backgroundPool.getUsername(), appPool.getUsername())
				&& Objects.equals(backgroundPool.getPassword(), appPool.getPassword()))) {
			return;
		}
		try (Connection connection = connector.connect(wait)) {
			connection.isValid(1);
		}
		catch (DatabaseUnreachableException ex) {
			String state = ex.getSqlState();
			String serverMessage = connector.mask(ex.getCause().getMessage()) + " (SQLState " + state + ")";
			if (state != null && state.startsWith("28")) {
				String property = "28P01".equals(state) ? "poolguard.background.password"
						: "poolguard.background.username";
				throw new BackgroundLoginRefusedException(property, "The server refused the background pool's login to "
						+ connector.describe() + ": " + serverMessage);
			}
			// the app pool's server answered: what differs is the background pool's own address
			String how = ServerConnector.isUnansweredLogin((SQLException) ex.getCause())
					? "did not answer the login within the login timeout of " + connector.getLoginTimeout() + " s"
					: "could not be reached";
			throw new BackgroundLoginRefusedException("poolguard.background.url", "The background pool's server "
					+ connector.describe() + " " + how + " (" + ex.getAttempts() + " attempt(s)): " + serverMessage);
		}
		catch (SQLException ex) {
			// closing a verified connection failed: the login itself was accepted
		}
	}

}
