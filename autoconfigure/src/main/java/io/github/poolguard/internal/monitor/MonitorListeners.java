package io.github.poolguard.internal.monitor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Passes every sample the {@link ServerMonitor} takes to its sample listeners, on the monitor's
 * thread. A listener that throws is logged and the others still run.
 */
final class MonitorListeners {

	// the monitor's own category, where operators look for its lines
	private static final Log logger = LogFactory.getLog(ServerMonitor.class);

	private final List<Consumer<ServerSample>> sampleListeners = new CopyOnWriteArrayList<>();

	void add(Consumer<ServerSample> listener) {
		this.sampleListeners.add(listener);
	}

	void sampled(ServerSample sample) {
		for (Consumer<ServerSample> sampleListener : this.sampleListeners) {
			notify(() -> sampleListener.accept(sample));
		}
	}

	/**
	 * Call a listener; one that throws is logged.
	 * @param call the call
	 */
	static void notify(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("PoolGuard: a server monitor listener failed", ex);
		}
	}

}
