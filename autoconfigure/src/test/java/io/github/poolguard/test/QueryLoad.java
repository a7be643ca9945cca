package io.github.poolguard.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * Threads that each borrow a connection, run one statement and give it back, over and over,
 * until closed: the load of an application's requests.
 */
public final class QueryLoad implements AutoCloseable {

	private final DataSource dataSource;

	private final String sql;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicLong served = new AtomicLong();

	private final AtomicInteger failed = new AtomicInteger();

	private final List<Thread> threads = new ArrayList<>();

	/**
	 * Create a load that has no thread yet.
	 * @param dataSource where the threads borrow their connections
	 * @param sql the statement each runs
	 */
	public QueryLoad(DataSource dataSource, String sql) {
		this.dataSource = dataSource;
		this.sql = sql;
	}

	/**
	 * Start more threads.
	 * @param count how many
	 * @return this load
	 */
	public QueryLoad start(int count) {
		for (int i = 0; i < count; i++) {
			Thread thread = new Thread(this::run, "query-load-" + this.threads.size());
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
		return this;
	}

	private void run() {
		while (this.running.get()) {
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute(this.sql);
				this.served.incrementAndGet();
			}
			catch (SQLException ex) {
				this.failed.incrementAndGet();
			}
		}
	}

	/**
	 * Return how many statements ran.
	 * @return the count
	 */
	public long served() {
		return this.served.get();
	}

	/**
	 * Return how many borrows or statements failed.
	 * @return the count
	 */
	public int failed() {
		return this.failed.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		for (Thread thread : this.threads) {
			thread.join();
		}
	}

}
