package io.github.poolguard.internal.monitor;

import java.util.function.Consumer;

import io.github.poolguard.internal.text.Formats;
import io.github.poolguard.monitor.ConnectionPressureEvent;
import io.github.poolguard.monitor.PressureLevel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The {@link ServerMonitor}'s pressure level: the level a sample is at under the
 * {@link PressureThresholds thresholds}, and, when the level changes, one log line and a
 * {@link ConnectionPressureEvent}.
 */
final class PressureLevels {

	// the monitor's own category, where operators look for its lines
	private static final Log logger = LogFactory.getLog(ServerMonitor.class);

	private final PressureThresholds thresholds;

	private final Consumer<? super ConnectionPressureEvent> listener;

	PressureLevels(PressureThresholds thresholds, Consumer<? super ConnectionPressureEvent> listener) {
		this.thresholds = thresholds;
		this.listener = listener;
	}


	PressureLevel levelFor(ServerSample sample, PressureLevel previous) {
		return this.thresholds.levelFor(sample.usage(), previous);
	}

	/**
	 * Log a change of level and publish its event, on the monitor's thread.
	 * @param monitor the event's source
	 * @param from the level before the sample
	 * @param to the level after it
	 * @param sample the sample
	 */
	void crossed(ServerMonitor monitor, PressureLevel from, PressureLevel to, ServerSample sample) {
		logCrossing(from, to, sample);
		MonitorListeners.notify(() -> this.listener
			.accept(new ConnectionPressureEvent(monitor, from, to, sample.inUse(), sample.usable(), sample.sampledAt())));
	}

	private void logCrossing(PressureLevel from, PressureLevel to, ServerSample sample) {
		String usage = sample.inUse() + " of " + sample.usable() + " usable server connections in use ("
				+ Formats.percent(sample.usage()) + ", max_connections " + sample.maxConnections() + "); by application: "
				+ sample.byApplication();
		if (to == PressureLevel.CRITICAL) {
			logger.error("PoolGuard: connection pressure CRITICAL: " + usage + ", at or above the critical threshold "
					+ Formats.percent(this.thresholds.critical()) + " (poolguard.health.critical-threshold). New connections"
					+ " will soon be refused with \"too many clients\".");
		}
		else if (to.compareTo(from) > 0) {
			logger.warn("PoolGuard: connection pressure WARNING: " + usage + ", at or above the warning threshold "
					+ Formats.percent(this.thresholds.warning()) + " (poolguard.health.warning-threshold).");
		}
		else {
			logger.info("PoolGuard: connection pressure down from " + from + " to " + to + ": " + usage + ".");
		}
	}

}
