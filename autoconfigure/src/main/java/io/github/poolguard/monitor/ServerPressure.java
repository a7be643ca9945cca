package io.github.poolguard.monitor;

import io.github.poolguard.pressure.PressureSource;
import org.jspecify.annotations.Nullable;

/**
 * Reports pressure while the monitor's latest sample is at or above the warning threshold.
 * Answers from the cached reading; never touches the server.
 */
public class ServerPressure implements PressureSource {

	private final ServerMonitor monitor;

	/**
	 * Create a source reading the given monitor.
	 * @param monitor the monitor
	 */
	public ServerPressure(ServerMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public @Nullable String currentPressure() {
		ServerReading reading = this.monitor.getReading();
		ServerSample sample = reading.sample();
		if (sample == null || reading.level() == PressureLevel.NORMAL) {
			return null;
		}
		return sample.inUse() + " of " + sample.usable() + " usable server connections are in use ("
				+ Math.round(sample.usage() * 100) + "%, " + reading.level() + ")";
	}

}
