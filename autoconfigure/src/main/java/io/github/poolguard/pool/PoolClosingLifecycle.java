package io.github.poolguard.pool;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.context.SmartLifecycle;

/**
 * Closes a pool during the lifecycle stop phase rather than at bean destruction, so that the
 * background pool is gone before the web server drains and the app pool closes.
 */
public class PoolClosingLifecycle implements SmartLifecycle {

	private final HikariDataSource pool;

	private final int phase;

	private volatile boolean running = true;

	/**
	 * Create a lifecycle that closes the pool when the context stops.
	 * @param pool the pool
	 * @param phase the phase to stop in; higher phases stop earlier
	 */
	public PoolClosingLifecycle(HikariDataSource pool, int phase) {
		this.pool = pool;
		this.phase = phase;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.pool.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
