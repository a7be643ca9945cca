package io.github.poolguard.internal.monitor;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reads every physical streaming replica's lag from {@code pg_stat_replication} on the
 * monitor's connection, at every sample ({@link MonitorConnectionReader}). Besides the time lags
 * the server measures, it tracks each replica's replay position: a replica that stopped
 * replaying (paused, or stuck on a conflict) keeps its last measured time lag, or none, while
 * WAL piles up, so the time its replay position has stood still with WAL waiting counts as its
 * lag. Logical walsenders (change-data capture) are left out: their consumer's pace says nothing
 * about how stale a read replica is. A role that is not a member of {@code pg_monitor} (or
 * {@code pg_read_all_stats}) sees no lag columns: said once, with the {@code GRANT} to run.
 * Without replicas it logs nothing and reads an empty list.
 */
public class ReplicaLagReader implements MonitorConnectionReader {

	private static final Log logger = LogFactory.getLog(ReplicaLagReader.class);

	// Physical walsenders only: a logical one is connected to a database. On a standby
	// pg_current_wal_lsn() fails, so a monitor pointed at one reads nothing.
	static final String QUERY = "SELECT r.application_name, host(r.client_addr),"
			+ " extract(epoch FROM r.write_lag), extract(epoch FROM r.flush_lag), extract(epoch FROM r.replay_lag),"
			+ " r.replay_lsn::text, pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn),"
			+ " pg_has_role('pg_read_all_stats', 'USAGE'), r.reply_time, current_user"
			+ " FROM pg_stat_replication r JOIN pg_stat_activity a ON a.pid = r.pid"
			+ " WHERE a.datid IS NULL AND NOT pg_is_in_recovery() ORDER BY r.application_name, r.pid";

	private final Clock clock;

	private final List<Consumer<List<ReplicaLag>>> listeners = new CopyOnWriteArrayList<>();

	private volatile List<ReplicaLag> replicas = List.of();

	private final Map<String, Stall> stalls = new HashMap<>();

	private boolean toldHidden;

	private boolean toldFailure;

	private volatile boolean off;

	/**
	 * Create a reader.
	 * @param clock the clock that times a stalled replay
	 */
	public ReplicaLagReader(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Receive the replicas after every read, on the monitor's thread.
	 * @param listener the listener
	 */
	public void addListener(Consumer<List<ReplicaLag>> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Return the replicas seen at the latest sample, by name. Never touches the server.
	 * @return the replicas; empty without any
	 */
	public List<ReplicaLag> getReplicas() {
		return this.replicas;
	}

	@Override
	public void read(Connection connection, String note) {
		if (this.off) {
			return;
		}
		List<ReplicaLag> replicas = new ArrayList<>();
		Set<String> names = new HashSet<>();
		Instant now = this.clock.instant();
		String role = null;
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(note + QUERY)) {
			while (rs.next()) {
				String address = rs.getString(2);
				String name = rs.getString(1);
				if (name == null || name.isEmpty()) {
					name = (address != null) ? address : "(unnamed)";
				}
				// standbys left unnamed are all "walreceiver": one entry each
				String base = name;
				for (int n = 2; names.contains(name); n++) {
					name = (address != null && n == 2) ? base + "@" + address : base + "#" + n;
				}
				names.add(name);
				String replayLsn = rs.getString(6);
				BigDecimal behind = rs.getBigDecimal(7);
				Long bytes = (behind != null) ? behind.longValue() : null;
				boolean visible = rs.getBoolean(8) && replayLsn != null;
				role = rs.getString(10);
				Timestamp replied = rs.getTimestamp(9);
				replicas.add(new ReplicaLag(name, address, seconds(rs, 3), seconds(rs, 4), seconds(rs, 5), bytes,
						stalledFor(name, replayLsn, bytes, (replied != null) ? replied.toInstant() : null, now),
						visible));
			}
		}
		catch (SQLException ex) {
			if ("42703".equals(ex.getSQLState()) || "42883".equals(ex.getSQLState())) {
				// before PostgreSQL 12 there is no reply_time (before 10 no write_lag)
				this.off = true;
				logger.info("PoolGuard: replica lag is not read: this server has no pg_stat_replication lag columns"
						+ " (PostgreSQL 12 or later has every one it reads); batch work does not pace on replica lag");
			}
			else if (!this.toldFailure) {
				this.toldFailure = true;
				logger.warn("PoolGuard: reading replica lag from pg_stat_replication failed: " + ex.getMessage()
						+ "; the last reading is kept and it is tried again at every sample");
			}
			return;
		}
		this.toldFailure = false;
		this.stalls.keySet().retainAll(replicas.stream().map(ReplicaLag::name).toList());
		this.replicas = List.copyOf(replicas);
		List<ReplicaLag> hidden = replicas.stream().filter((replica) -> !replica.visible()).toList();
		if (!hidden.isEmpty() && !this.toldHidden) {
			this.toldHidden = true;
			logger.warn("PoolGuard: " + hidden.size() + " replica(s) stream from this server ("
					+ String.join(", ", hidden.stream().map(ReplicaLag::describe).toList()) + "), but role '" + role
					+ "' may not read their lag in pg_stat_replication, so batch work cannot pace on replica lag"
					+ " (poolguard.batch.max-replica-lag). Run as a superuser: GRANT pg_monitor TO \"" + role + "\";");
		}
		for (Consumer<List<ReplicaLag>> listener : this.listeners) {
			listener.accept(this.replicas);
		}
	}

	// The first sample that saw this replay position with WAL waiting behind it starts the clock;
	// a replay position that moves, or nothing left to replay, stops it. A standby reports its
	// replay position only with its replies (after it receives WAL, and every
	// wal_receiver_status_interval, 10 s by default), so after one last write a replica that did
	// replay looks behind until its next reply: the stall counts only once a later reply still
	// names the same replay position.
	private @Nullable Duration stalledFor(String name, @Nullable String replayLsn, @Nullable Long bytes,
			@Nullable Instant replied, Instant now) {
		if (replayLsn == null || bytes == null || bytes <= 0 || replied == null) {
			this.stalls.remove(name);
			return null;
		}
		Stall stall = this.stalls.get(name);
		if (stall == null || !stall.replayLsn.equals(replayLsn)) {
			this.stalls.put(name, new Stall(replayLsn, now, replied));
			return Duration.ZERO;
		}
		return replied.isAfter(stall.reply) ? Duration.between(stall.since, now) : Duration.ZERO;
	}

	private static @Nullable Duration seconds(ResultSet rs, int column) throws SQLException {
		BigDecimal seconds = rs.getBigDecimal(column);
		return (seconds != null) ? Duration.ofNanos(seconds.movePointRight(9).longValue()) : null;
	}

	private record Stall(String replayLsn, Instant since, Instant reply) {
	}

}
