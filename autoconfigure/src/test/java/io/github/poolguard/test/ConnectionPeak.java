package io.github.poolguard.test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples {@code pg_stat_activity} on a thread of its own, as fast as it can, and keeps the
 * highest count of sessions with one application name. Close it to stop sampling.
 */
public final class ConnectionPeak implements AutoCloseable {

	private final AtomicBoolean sampling = new AtomicBoolean(true);

	private final AtomicInteger peak = new AtomicInteger();

	private final Thread sampler;

	ConnectionPeak(PostgresServer server, String applicationName) {
		this.sampler = new Thread(() -> {
			while (this.sampling.get()) {
				this.peak.accumulateAndGet(server.countConnections(applicationName), Math::max);
			}
		}, "connection-peak-" + applicationName);
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	/**
	 * Return the highest count seen so far.
	 * @return the peak
	 */
	public int max() {
		return this.peak.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.sampling.set(false);
		this.sampler.join();
	}

}
