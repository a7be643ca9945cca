package io.github.poolguard.internal.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.github.poolguard.batch.BatchClaims;
import io.github.poolguard.internal.pool.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * Claims batch names with PostgreSQL session advisory locks, each held on a connection of its
 * own opened straight to the server (never through a pool or a transaction-pooling PgBouncer,
 * where a session lock would stay behind on a server connection another client then gets).
 * <p>
 * A session lock lives exactly as long as the session: when the holding process dies, is
 * killed, or loses the network, the server ends the session and frees the lock, so no claim
 * outlives its holder and there is nothing to expire, no clock to trust and no table to
 * create. The cost is one direct connection per instance while it runs an exclusive batch.
 * The lock key is the pair ({@code hashtext(namespace)}, {@code hashtext(name)}).
 */
public class AdvisoryLockClaims implements BatchClaims {

	private final ServerConnector connector;

	private final String namespace;

	/**
	 * Create the claims.
	 * @param connector opens the direct connections that hold the locks
	 * @param namespace the application's name, so that two applications sharing a database do
	 * not claim each other's batches
	 */
	public AdvisoryLockClaims(ServerConnector connector, String namespace) {
		this.connector = connector;
		this.namespace = namespace;
	}

	@Override
	public @Nullable BatchClaim tryClaim(String name) throws SQLException {
		Connection connection = this.connector.connect();
		boolean claimed = false;
		try {
			connection.setAutoCommit(true);
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))")) {
				statement.setString(1, "poolguard:" + this.namespace);
				statement.setString(2, name);
				try (ResultSet rs = statement.executeQuery()) {
					rs.next();
					claimed = rs.getBoolean(1);
				}
			}
			return claimed ? new LockClaim(connection) : null;
		}
		finally {
			if (!claimed) {
				connection.close();
			}
		}
	}

	private static final class LockClaim implements BatchClaim {

		private final Connection connection;

		LockClaim(Connection connection) {
			this.connection = connection;
		}

		@Override
		public boolean isHeld() {
			try {
				return this.connection.isValid(2);
			}
			catch (SQLException ex) {
				return false;
			}
		}

		@Override
		public void close() {
			try {
				// ending the session frees the lock
				this.connection.close();
			}
			catch (SQLException ex) {
				// the session is gone either way, and the lock with it
			}
		}

	}

}
