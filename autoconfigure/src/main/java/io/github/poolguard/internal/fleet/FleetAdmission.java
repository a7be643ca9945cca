package io.github.poolguard.internal.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.GuardedLogins;
import io.github.poolguard.internal.pool.LoginGuard;
import io.github.poolguard.internal.routing.ConnectionGate;
import io.github.poolguard.routing.Workload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Lets a starting instance into the fleet before its pools open their first connection. It
 * shows itself on the server under its monitor connection's name, so the running instances
 * count it and shrink to their new shares; reads the fleet; sizes its own pools to its share;
 * and waits, for a bounded time, until that share is free on the server instead of taking the
 * last slots. Then it hands the connection to the server monitor, which keeps the instance
 * visible from then on. Later requests pass at once while the instance has its share and are
 * refused while it has none.
 */
public final class FleetAdmission implements ConnectionGate, LoginGuard {

	private static final Log logger = LogFactory.getLog(FleetAdmission.class);

	private final FleetSizing sizing;

	private final Presence presence;

	private final FleetReader reader;

	private final Consumer<Connection> handOff;

	private final Duration joinTimeout;

	private final Duration pollInterval;

	private final String fleet;

	// what a starting instance's monitor connection notes in every statement (ServerSampler's
	// note): its pools hold nothing yet, so the others never take it for a serving instance
	private static final String LOCK_NOTE = "/* poolguard pools=0 */ ";

	private final ReentrantLock joining = new ReentrantLock();

	private volatile boolean joined;

	/**
	 * Create the admission of one instance.
	 * @param sizing this instance's sizing
	 * @param presence opens a connection under the monitor connection's name
	 * @param reader reads the fleet on that connection
	 * @param handOff takes the connection over once the instance is in (the server monitor)
	 * @param joinTimeout how long to wait for the others to shrink
	 * @param pollInterval how often to read the fleet while waiting
	 * @param fleet the application part of the fleet's connection names, which the instances of
	 * one fleet share
	 */
	public FleetAdmission(FleetSizing sizing, Presence presence, FleetReader reader, Consumer<Connection> handOff,
			Duration joinTimeout, Duration pollInterval, String fleet) {
		this.sizing = sizing;
		this.presence = presence;
		this.reader = reader;
		this.handOff = handOff;
		this.joinTimeout = joinTimeout;
		this.pollInterval = pollInterval;
		this.fleet = fleet;
	}

	/**
	 * Let a pool's server login pass like a borrow: this covers every way to the pools,
	 * including an injected {@code @AppPool} or {@code @BackgroundPool} pool.
	 */
	@Override
	public void beforeLogin(String pool) throws SQLException {
		pass(ConnectionNames.BACKGROUND.equals(pool) ? Workload.BACKGROUND : Workload.APP);
	}

	/**
	 * Keep a pool the server refused a login to at the connections it holds.
	 */
	@Override
	public void refused(String pool, SQLException refusal) {
		this.sizing.refusedLogin(pool);
	}

	@Override
	public void pass(Workload workload) throws SQLException {
		if (!this.joined) {
			join();
		}
		if (!this.sizing.isAdmitted() && !this.sizing.inStartup()) {
			FleetShare share = this.sizing.getShare();
			throw new NoShareException((share != null) ? share.arithmetic() : "");
		}
	}

	/**
	 * Join the fleet, once: called before the first connection and, at the latest, once the
	 * application's beans exist. Waits at most the join timeout (and the server's answers).
	 */
	public void join() {
		this.joining.lock();
		try {
			if (!this.joined) {
				try {
					doJoin();
				}
				finally {
					this.joined = true;
					this.sizing.joined();
				}
			}
		}
		finally {
			this.joining.unlock();
		}
	}

	private void doJoin() {
		long deadline = System.nanoTime() + this.joinTimeout.toNanos();
		Connection connection;
		try {
			connection = openPresence(deadline);
		}
		catch (SQLException ex) {
			if (GuardedLogins.TOO_MANY_CONNECTIONS.equals(ex.getSQLState())) {
				// a full server: never start at the configured sizes, wait for the monitor to find room
				this.sizing.refuse(new FleetShare(1, 0, 0, 0, 0, "the server refused this instance's logins for"
						+ " want of a connection slot (53300) for " + this.joinTimeout.toSeconds()
						+ " s (poolguard.fleet.join-timeout)"));
				return;
			}
			logger.warn("PoolGuard: cannot read the fleet before the pools open (" + ex.getMessage()
					+ "); the pools start at their configured sizes and the monitor sizes them once it reaches the"
					+ " server");
			this.sizing.admitUnseen();
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.sizing.admitUnseen();
			return;
		}
		boolean handedOff = false;
		try {
			boolean waiting = false;
			while (true) {
				FleetView view = this.reader.read(connection);
				FleetShare share = this.sizing.plan(view);
				if (share.admitted() && this.sizing.hasRoomFor(view, share)) {
					this.sizing.admit(share, true);
					break;
				}
				if (!share.admitted()) {
					// no shrinking of the others makes room for this floor: only leaving does
					this.sizing.refuse(share);
					startWithoutShare(connection);
					break;
				}
				if (System.nanoTime() - deadline >= 0) {
					afterTimeout(view, share);
					break;
				}
				if (!waiting) {
					waiting = true;
					logger.info("PoolGuard: waiting up to " + this.joinTimeout.toSeconds()
							+ " s (poolguard.fleet.join-timeout) for the other instances to give back connections: "
							+ FleetSizing.free(view) + " of " + view.usable() + " usable are free, this instance's"
							+ " share needs " + (share.app() + share.background()) + " (" + share.arithmetic() + ").");
				}
				Thread.sleep(this.pollInterval.toMillis());
			}
			this.handOff.accept(connection);
			handedOff = true;
		}
		catch (SQLException ex) {
			logger.warn("PoolGuard: lost the fleet reading before the pools opened (" + ex.getMessage()
					+ "); the monitor sizes the pools once it reaches the server");
			this.sizing.admitUnseen();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.sizing.admitUnseen();
		}
		finally {
			if (!handedOff) {
				closeQuietly(connection);
			}
		}
	}

	// An instance the fleet has no room for still starts: the startup work that needs the
	// database (Hibernate's metadata, migrations, init scripts, Spring Batch's schema check) runs
	// on the smallest pools, one waiting instance of the fleet at a time, so that their transient
	// connections stay within what every instance keeps free (poolguard.budget.reserved-connections).
	// The turn is a session advisory lock on this connection, which the monitor keeps: it is
	// released once the application is ready, or when the instance's monitor session ends.
	private void startWithoutShare(Connection connection) throws SQLException, InterruptedException {
		boolean waiting = false;
		try (PreparedStatement statement = connection
			.prepareStatement(LOCK_NOTE + "SELECT pg_try_advisory_lock(hashtext('poolguard:startup'), hashtext(?))")) {
			statement.setString(1, this.fleet);
			while (true) {
				try (ResultSet result = statement.executeQuery()) {
					if (result.next() && result.getBoolean(1)) {
						break;
					}
				}
				if (!waiting) {
					waiting = true;
					logger.info("PoolGuard: waiting for another instance of the fleet to finish its startup work before"
							+ " this one runs its own without a share");
				}
				Thread.sleep(this.pollInterval.toMillis());
			}
		}
		this.sizing.allowStartup();
	}

	// A server with no slot left refuses the login (53300): try again, with jitter, until the
	// join timeout.
	private Connection openPresence(long deadline) throws SQLException, InterruptedException {
		while (true) {
			try {
				return this.presence.open();
			}
			catch (SQLException ex) {
				long left = deadline - System.nanoTime();
				if (!GuardedLogins.TOO_MANY_CONNECTIONS.equals(ex.getSQLState()) || left <= 0) {
					throw ex;
				}
				long pause = Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1,
						ThreadLocalRandom.current().nextLong(this.pollInterval.toMillis(), 4 * this.pollInterval.toMillis() + 1));
				Thread.sleep(pause);
			}
		}
	}

	// The others did not give back enough in time: start with what is free if that covers the
	// floor (the monitor grows the pools as room appears), else stay out of service.
	private void afterTimeout(FleetView view, FleetShare share) {
		if (!this.sizing.admitWhatIsFree(view, share, "did not get its share back from the other instances within "
				+ this.joinTimeout.toSeconds() + " s (poolguard.fleet.join-timeout)")) {
			this.sizing.refuse(share.admitted() ? share.withPools(0, 0, "only " + FleetSizing.free(view)
					+ " free after waiting " + this.joinTimeout.toSeconds() + " s (poolguard.fleet.join-timeout)")
					: share);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// nothing to do
		}
	}

	/**
	 * Opens a connection under the monitor connection's name.
	 */
	@FunctionalInterface
	public interface Presence {

		/**
		 * Open the connection.
		 * @return the connection
		 * @throws SQLException if the server cannot be reached
		 */
		Connection open() throws SQLException;

	}

	/**
	 * Reads the fleet on a connection.
	 */
	@FunctionalInterface
	public interface FleetReader {

		/**
		 * Read the fleet.
		 * @param connection the connection
		 * @return the fleet
		 * @throws SQLException if the reading fails
		 */
		FleetView read(Connection connection) throws SQLException;

	}

}
