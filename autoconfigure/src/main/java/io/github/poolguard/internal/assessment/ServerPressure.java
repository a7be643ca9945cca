package io.github.poolguard.internal.assessment;

import java.util.Map;

import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.monitor.ServerReading;
import io.github.poolguard.internal.monitor.ServerSample;
import io.github.poolguard.internal.text.Formats;
import io.github.poolguard.pressure.PressureSource;
import org.jspecify.annotations.Nullable;

/**
 * Reports pressure while the server, apart from the application's background connections, is at
 * or above the warning threshold. The background pools' sessions, of every instance of the
 * application, are left out because batch work yielding to them would wait for itself or for the
 * same batch on another instance: they stay open while it pauses, and the startup budget (or the
 * fleet's division, which packs the instances' shares up to the usable connections) already makes
 * room for all of them. Answers from the cached reading; never touches the
 * server. A judgement of a reading, so it lives here and not with the sampler.
 */
public class ServerPressure implements PressureSource {

	private final ServerMonitor monitor;

	private final @Nullable String backgroundConnectionName;

	/**
	 * Create a source reading the given monitor.
	 * @param monitor the monitor
	 * @param backgroundConnectionName the {@code application_name} of the background pools'
	 * connections without an instance id ({@code <app>:background}): those names and the ones
	 * with an instance id are left out of the count; {@code null} to count every connection
	 */
	public ServerPressure(ServerMonitor monitor, @Nullable String backgroundConnectionName) {
		this.monitor = monitor;
		this.backgroundConnectionName = backgroundConnectionName;
	}

	@Override
	public @Nullable String currentPressure() {
		ServerReading reading = this.monitor.getReading();
		ServerSample sample = reading.sample();
		if (sample == null || sample.usable() <= 0) {
			return null;
		}
		int own = 0;
		String background = this.backgroundConnectionName;
		if (background != null) {
			for (Map.Entry<String, Integer> sessions : sample.byApplication().entrySet()) {
				String name = sessions.getKey();
				if (name.equals(background) || name.startsWith(background + ":")) {
					own += sessions.getValue();
				}
			}
		}
		int others = sample.inUse() - own;
		double usage = (double) others / sample.usable();
		if (usage < this.monitor.getThresholds().warning()) {
			return null;
		}
		return others + " of " + sample.usable() + " usable server connections are in use besides the application's"
				+ " background work ("
				+ Formats.percent(usage) + ", at or above the warning threshold)";
	}

}
