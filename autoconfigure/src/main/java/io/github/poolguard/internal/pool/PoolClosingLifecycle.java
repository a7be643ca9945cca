package io.github.poolguard.internal.pool;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Closes a pool during the lifecycle stop phase rather than at bean destruction, so that the
 * background pool is gone before the web server drains and the app pool closes. A stop that
 * is not part of closing the context (a context restart: stop, then start) only lets the pool
 * close its idle connections, so it serves again after the start.
 */
public class PoolClosingLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

	private final HikariDataSource pool;

	private final int phase;

	private volatile boolean running = true;

	private volatile boolean closing;

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
	public void onApplicationEvent(ContextClosedEvent event) {
		this.closing = true;
	}

	@Override
	public void stop() {
		if (this.closing) {
			this.pool.close();
		}
		else if (!this.pool.isClosed() && this.pool.getHikariPoolMXBean() != null) {
			this.pool.getHikariPoolMXBean().softEvictConnections();
		}
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
