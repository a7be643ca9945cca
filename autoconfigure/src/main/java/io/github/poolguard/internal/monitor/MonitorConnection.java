package io.github.poolguard.internal.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.github.poolguard.internal.pool.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ServerMonitor}'s one connection of its own, and the sampling query on it: opens it
 * (or takes over an adopted one) and prepares its session, reopens it only when it is broken,
 * and turns every failure into a {@link SampleFailure} that says whether the server is busy and
 * whether the connection is kept. Used by the monitor's thread only, except {@link #adopt} and
 * {@link #close}.
 */
final class MonitorConnection {

	private final ServerConnector connector;

	private final ServerSampler sampler;

	private final MonitorTiming timing;

	private final Duration queryTimeout;

	private final List<MonitorConnectionReader> readers = new CopyOnWriteArrayList<>();

	private final @Nullable String secret;

	private final AtomicReference<@Nullable Connection> connection = new AtomicReference<>();

	private final AtomicReference<@Nullable Connection> adopted = new AtomicReference<>();

	MonitorConnection(ServerConnector connector, ServerSampler sampler, MonitorTiming timing, @Nullable String secret) {
		this.connector = connector;
		this.sampler = sampler;
		this.timing = timing;
		this.queryTimeout = timing.queryTimeout();
		this.secret = (secret != null && !secret.isEmpty()) ? secret : null;
	}

	/**
	 * Read something more on the connection after every successful sample.
	 * @param reader the reader; one that throws is logged and the others still run
	 */
	void addReader(MonitorConnectionReader reader) {
		this.readers.add(reader);
	}

	/**
	 * Take one sample on the connection, opening it first if need be.
	 * @param poolsMax supplies the connections this instance's pools may hold now, noted on the
	 * connection, or {@code null}
	 * @param releaseLocks asked once the connection is open: whether to release the session's
	 * advisory locks first
	 * @param closed whether the monitor was closed meanwhile: a connection opened then is closed
	 * @return the sample
	 * @throws SampleFailure when the sample fails, saying why
	 */
	ServerSample sample(Supplier<@Nullable Integer> poolsMax, BooleanSupplier releaseLocks,
			BooleanSupplier closed)
			throws SampleFailure {
		Connection connection = connection(closed);
		try {
			if (releaseLocks.getAsBoolean()) {
				try (Statement statement = connection.createStatement()) {
					statement.execute(this.sampler.note(poolsMax.get()) + "SELECT pg_advisory_unlock_all()");
				}
			}
			ServerSample sample = this.sampler.sample(connection, poolsMax.get());
			String note = this.sampler.note(poolsMax.get());
			for (MonitorConnectionReader reader : this.readers) {
				MonitorListeners.notify(() -> reader.read(connection, note));
			}
			return sample;
		}
		catch (SQLException ex) {
			// a canceled statement leaves the session as it was: a busy server is no reason to
			// give up this instance's place in the fleet
			if ("57014".equals(ex.getSQLState())) {
				throw new SampleFailure("the sampling query took longer than " + this.queryTimeout.toMillis()
						+ " ms (poolguard.monitor.query-timeout); the server may be overloaded", true, true);
			}
			if (isUsable(connection)) {
				throw new SampleFailure("the sampling query failed on the monitor connection to "
						+ this.connector.describe() + ": " + mask(ex.getMessage()) + state(ex), false, true);
			}
			throw new SampleFailure("lost the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex), false, false);
		}
	}

	/**
	 * Close the connection if the server no longer answers on it.
	 */
	void closeIfBroken() {
		Connection connection = this.connection.get();
		if (connection != null && !isUsable(connection)) {
			closeConnection();
		}
	}

	/**
	 * Take over an open connection for the next sample; close it when one is already waiting.
	 * @param connection the connection
	 * @param closed whether the monitor is closed, in which case it is closed at once
	 */
	void adopt(Connection connection, boolean closed) {
		if (closed || !this.adopted.compareAndSet(null, connection)) {
			closeQuietly(connection);
		}
	}

	/**
	 * Close the connection and any adopted one.
	 */
	void close() {
		closeConnection();
		Connection adopted = this.adopted.getAndSet(null);
		if (adopted != null) {
			closeQuietly(adopted);
		}
	}

	// Asks the server, within the query timeout: a broken socket or an ended session says no.
	private boolean isUsable(Connection connection) {
		try {
			return connection.isValid((int) Math.max(1, (this.queryTimeout.toMillis() + 999) / 1000));
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private Connection connection(BooleanSupplier closed) throws SampleFailure {
		Connection connection = this.connection.get();
		if (connection != null) {
			return connection;
		}
		try {
			connection = this.adopted.getAndSet(null);
			if (connection == null || connection.isClosed()) {
				connection = this.connector.connect();
			}
		}
		catch (SQLException ex) {
			if ("53300".equals(ex.getSQLState())) {
				throw new SampleFailure("the server refused the monitor connection: too many clients ("
						+ mask(ex.getMessage()) + ")", true, false);
			}
			throw new SampleFailure("cannot open the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex), false, false);
		}
		try {
			connection.setAutoCommit(true);
			connection.setNetworkTimeout(Runnable::run, (int) this.queryTimeout.plusSeconds(2).toMillis());
			try (Statement statement = connection.createStatement()) {
				statement.execute(this.timing.sessionSettings(connection.getMetaData().getDatabaseMajorVersion()));
			}
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw new SampleFailure("cannot prepare the monitor connection to " + this.connector.describe() + ": "
					+ mask(ex.getMessage()) + state(ex), false, false);
		}
		this.connection.set(connection);
		if (closed.getAsBoolean()) {
			closeConnection();
			throw new SampleFailure("the monitor is closed", false, false);
		}
		return connection;
	}

	/**
	 * Describe the server, without credentials, for a log line.
	 * @return the description
	 */
	String describe() {
		return this.connector.describe();
	}

	/**
	 * Remove the connection's credentials, and the secret, from a message.
	 * @param message the message, or {@code null}
	 * @return the masked message
	 */
	String mask(@Nullable String message) {
		String masked = this.connector.mask(message);
		return (this.secret != null) ? masked.replace(this.secret, "******") : masked;
	}

	private static String state(SQLException ex) {
		return (ex.getSQLState() != null) ? " (SQLState " + ex.getSQLState() + ")" : "";
	}

	/**
	 * Close the connection; the next sample opens a new one.
	 */
	void closeConnection() {
		Connection connection = this.connection.getAndSet(null);
		if (connection != null) {
			closeQuietly(connection);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// the connection is gone either way
		}
	}

	/**
	 * Why a sample failed: a plain sentence without credentials.
	 */
	static final class SampleFailure extends Exception {

		private final boolean busy;

		private final boolean keepConnection;

		SampleFailure(String message, boolean busy, boolean keepConnection) {
			super(message, null, false, false);
			this.busy = busy;
			this.keepConnection = keepConnection;
		}

		/**
		 * Return whether the server answered "too busy" rather than being out of reach.
		 * @return {@code true} when busy
		 */
		boolean busy() {
			return this.busy;
		}

		/**
		 * Return whether the connection still works and is kept.
		 * @return {@code true} when kept
		 */
		boolean keepConnection() {
			return this.keepConnection;
		}

	}

}
