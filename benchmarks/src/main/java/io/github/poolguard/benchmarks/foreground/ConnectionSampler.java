package io.github.poolguard.benchmarks.foreground;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Samples {@code pg_stat_activity} every 100 ms on its own direct connection (application name
 * {@code bench-sampler}), counting client connections per application name, and how many of
 * them are idle in a transaction.
 */
final class ConnectionSampler implements AutoCloseable {

	static final String APPLICATION_NAME = "bench-sampler";

	private static final String QUERY = """
			SELECT coalesce(nullif(application_name, ''), '(none)'), count(*),
			       count(*) FILTER (WHERE state = 'idle in transaction')
			FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1""";

	/**
	 * One sample.
	 * @param nanos when
	 * @param byApplication connections per application name
	 * @param idleInTransaction connections idle in a transaction per application name
	 */
	record Reading(long nanos, Map<String, Integer> byApplication, Map<String, Integer> idleInTransaction) {

		int total() {
			return this.byApplication.values().stream().mapToInt(Integer::intValue).sum();
		}

	}

	private final Connection connection;

	private final List<Reading> readings = new ArrayList<>();

	private final Thread thread;

	private volatile boolean running = true;

	ConnectionSampler(String url, String user, String password) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", user);
		properties.setProperty("password", password);
		properties.setProperty("ApplicationName", APPLICATION_NAME);
		properties.setProperty("socketTimeout", "5");
		this.connection = DriverManager.getConnection(url, properties);
		this.thread = new Thread(this::loop, "pg-stat-activity-sampler");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void loop() {
		while (this.running) {
			long now = System.nanoTime();
			try (Statement statement = this.connection.createStatement()) {
				statement.setQueryTimeout(2);
				Map<String, Integer> by = new TreeMap<>();
				Map<String, Integer> idle = new TreeMap<>();
				try (ResultSet rows = statement.executeQuery(QUERY)) {
					while (rows.next()) {
						by.put(rows.getString(1), rows.getInt(2));
						idle.put(rows.getString(1), rows.getInt(3));
					}
				}
				synchronized (this.readings) {
					this.readings.add(new Reading(now, by, idle));
				}
			}
			catch (SQLException ex) {
				System.err.println("pg_stat_activity sample failed: " + ex.getMessage());
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/**
	 * Return the peak count per application name (and "total") between two instants.
	 * @param fromNanos start
	 * @param toNanos end
	 * @param idleInTransaction whether to count only connections idle in a transaction
	 * @return the peaks
	 */
	Map<String, Integer> peaks(long fromNanos, long toNanos, boolean idleInTransaction) {
		Map<String, Integer> peaks = new TreeMap<>();
		int total = 0;
		synchronized (this.readings) {
			for (Reading reading : this.readings) {
				if (reading.nanos() < fromNanos || reading.nanos() > toNanos) {
					continue;
				}
				Map<String, Integer> counts = idleInTransaction ? reading.idleInTransaction() : reading.byApplication();
				counts.forEach((name, count) -> peaks.merge(name, count, Math::max));
				total = Math.max(total, counts.values().stream().mapToInt(Integer::intValue).sum());
			}
		}
		Map<String, Integer> result = new LinkedHashMap<>(peaks);
		result.put("total", total);
		return result;
	}

	@Override
	public void close() throws Exception {
		this.running = false;
		this.thread.interrupt();
		this.thread.join(5000);
		this.connection.close();
	}

}
