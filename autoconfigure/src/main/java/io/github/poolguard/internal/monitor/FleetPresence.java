package io.github.poolguard.internal.monitor;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * This instance's presence in the fleet, as the {@link ServerMonitor} carries it: the note of
 * how many connections its pools may hold, left on the monitor's connection at every sample; a
 * pending release of the session's advisory locks; and the ids of the application's instances
 * seen on the server, passed on whenever they change.
 */
final class FleetPresence {

	private final AtomicBoolean releaseLocks = new AtomicBoolean();

	private volatile Supplier<@Nullable Integer> poolsMax = () -> null;

	private volatile Consumer<List<String>> instancesListener = (instances) -> {
	};

	private @Nullable List<String> lastInstances;

	void publishPoolsMax(Supplier<@Nullable Integer> poolsMax) {
		this.poolsMax = poolsMax;
	}

	/**
	 * Return the number to note at this sample, asked each time it is noted.
	 * @return the supplier of the pools' maximum, or {@code null} to say nothing
	 */
	Supplier<@Nullable Integer> poolsMax() {
		return this.poolsMax;
	}

	void releaseAdvisoryLocks() {
		this.releaseLocks.set(true);
	}

	/**
	 * Return whether the advisory locks are to be released at this sample, and forget it.
	 * @return {@code true} once after {@link #releaseAdvisoryLocks()}
	 */
	boolean takeReleaseLocks() {
		return this.releaseLocks.getAndSet(false);
	}

	void onInstancesChanged(Consumer<List<String>> listener) {
		this.instancesListener = listener;
	}

	/**
	 * Pass the sample's instances on if they differ from the last ones passed on. Called on the
	 * monitor's thread only.
	 * @param sample the sample
	 */
	void instancesSeen(ServerSample sample) {
		if (!sample.instances().equals(this.lastInstances)) {
			this.lastInstances = sample.instances();
			MonitorListeners.notify(() -> this.instancesListener.accept(sample.instances()));
		}
	}

}
