package io.github.poolguard.internal.pool;

import java.sql.SQLException;

/**
 * Something a governed pool's server logins pass: every new server connection a PoolGuard pool
 * opens, whoever asked for it (the application's {@code DataSource}, an injected
 * {@code @AppPool} or {@code @BackgroundPool} pool, HikariCP topping itself up). Guards are
 * collected from the context in order.
 */
public interface LoginGuard {

	/**
	 * Called before a pool opens a server connection.
	 * @param pool the pool's role ({@code app} or {@code background})
	 * @throws SQLException to refuse the login without reaching the server
	 */
	default void beforeLogin(String pool) throws SQLException {
	}

	/**
	 * Called when the server refused a login because it has no connection slot left
	 * ({@code 53300}: "too many clients", "remaining connection slots are reserved").
	 * @param pool the pool's role
	 * @param refusal the server's answer
	 */
	default void refused(String pool, SQLException refusal) {
	}

	/**
	 * Called when a pool opened a server connection.
	 * @param pool the pool's role
	 */
	default void loggedIn(String pool) {
	}

}
