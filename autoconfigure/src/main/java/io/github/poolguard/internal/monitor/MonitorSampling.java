package io.github.poolguard.internal.monitor;

import java.time.Clock;
import java.util.function.BooleanSupplier;

import io.github.poolguard.internal.monitor.MonitorConnection.SampleFailure;
import io.github.poolguard.monitor.PressureLevel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One sampling step of the {@link ServerMonitor}, and the reading it leaves: a sample on the
 * monitor's connection, or the reason it failed (logged once per run of failures); the waiters
 * counted; a change of pressure level; then the sample passed to the listeners and the fleet.
 */
final class MonitorSampling {

	// the monitor's own category, where operators look for its lines
	private static final Log logger = LogFactory.getLog(ServerMonitor.class);

	private final ServerMonitor monitor;

	private final Clock clock;

	private final MonitorConnection connection;

	private final PoolWaiters waiters;

	private final PressureLevels pressure;

	private final MonitorListeners listeners;

	private final FleetPresence fleet;

	private final BooleanSupplier closed;

	private volatile ServerReading reading;

	private boolean failing;

	MonitorSampling(ServerMonitor monitor, Clock clock, MonitorConnection connection, PoolWaiters waiters,
			PressureLevels pressure, MonitorListeners listeners, FleetPresence fleet, BooleanSupplier closed) {
		this.monitor = monitor;
		this.clock = clock;
		this.connection = connection;
		this.waiters = waiters;
		this.pressure = pressure;
		this.listeners = listeners;
		this.fleet = fleet;
		this.closed = closed;
		this.reading = new ServerReading(null, null, PressureLevel.NORMAL, 0, clock.instant());
	}

	ServerReading reading() {
		return this.reading;
	}

	// Runs on the monitor's thread only, so the connection needs no lock; never throws.
	void sample() {
		if (this.closed.getAsBoolean()) {
			return;
		}
		ServerReading previous = this.reading;
		int waitingSamples = (this.waiters.app() > 0) ? previous.appPoolWaitingSamples() + 1 : 0;
		int backgroundWaiters = this.waiters.background();
		int backgroundWaitingSamples = (backgroundWaiters > 0) ? previous.backgroundPoolWaitingSamples() + 1 : 0;
		ServerSample sample;
		try {
			sample = this.connection.sample(this.fleet.poolsMax(), this.fleet::takeReleaseLocks, this.closed);
		}
		catch (SampleFailure ex) {
			if (!ex.keepConnection()) {
				this.connection.closeConnection();
			}
			if (this.closed.getAsBoolean()) {
				return;
			}
			this.reading = new ServerReading(previous.sample(), ex.getMessage(), previous.level(), waitingSamples,
					this.clock.instant(), ex.busy(), backgroundWaiters, backgroundWaitingSamples);
			if (!this.failing) {
				this.failing = true;
				logger.warn("PoolGuard: server monitor: " + ex.getMessage() + (ex.busy()
						? "; /actuator/health/connections reports WARNING until a sample succeeds again"
						: "; /actuator/health/connections reports DOWN until it reaches the server again"));
			}
			return;
		}
		catch (RuntimeException ex) {
			this.connection.closeIfBroken();
			this.failing = true;
			this.reading = new ServerReading(previous.sample(),
					"sampling failed: " + this.connection.mask(String.valueOf(ex)), previous.level(), waitingSamples,
					this.clock.instant(), false, backgroundWaiters, backgroundWaitingSamples);
			return;
		}
		PressureLevel level = this.pressure.levelFor(sample, previous.level());
		this.reading = new ServerReading(sample, null, level, waitingSamples, this.clock.instant(), false,
				backgroundWaiters, backgroundWaitingSamples);
		if (this.failing) {
			this.failing = false;
			logger.info("PoolGuard: server monitor reached " + this.connection.describe() + " again");
		}
		if (level != previous.level()) {
			this.pressure.crossed(this.monitor, previous.level(), level, sample);
		}
		this.listeners.sampled(sample);
		this.fleet.instancesSeen(sample);
	}

}
