package io.github.poolguard.monitor;

import java.time.Instant;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the server's connection usage crosses the warning or critical threshold, up or
 * down. Published once per crossing: the thresholds have hysteresis.
 */
public class ConnectionPressureEvent extends ApplicationEvent {

	private final PressureLevel previousLevel;

	private final PressureLevel level;

	private final int inUse;

	private final int usable;

	private final Instant sampledAt;

	/**
	 * Create an event.
	 * @param source the monitor that saw the crossing
	 * @param previousLevel the level before
	 * @param level the level now
	 * @param inUse the server's client connections in the sample that crossed
	 * @param usable the connections the server lets ordinary roles open: {@code max_connections}
	 * less its reserved ones, at least 1
	 * @param sampledAt when that sample was taken
	 */
	public ConnectionPressureEvent(Object source, PressureLevel previousLevel, PressureLevel level, int inUse,
			int usable, Instant sampledAt) {
		super(source);
		this.previousLevel = previousLevel;
		this.level = level;
		this.inUse = inUse;
		this.usable = Math.max(1, usable);
		this.sampledAt = sampledAt;
	}

	/**
	 * Return the level before the crossing.
	 * @return the previous level
	 */
	public PressureLevel getPreviousLevel() {
		return this.previousLevel;
	}

	/**
	 * Return the level after the crossing.
	 * @return the level
	 */
	public PressureLevel getLevel() {
		return this.level;
	}

	/**
	 * Return the server's client connections when the threshold was crossed.
	 * @return the connections in use
	 */
	public int getInUse() {
		return this.inUse;
	}

	/**
	 * Return the connections the server lets ordinary roles open: {@code max_connections} less
	 * the superuser-reserved and reserved ones.
	 * @return the usable connections, at least 1
	 */
	public int getUsable() {
		return this.usable;
	}

	/**
	 * Return the share of usable connections in use when the threshold was crossed. It can exceed
	 * 1, since superusers may use the reserved connections.
	 * @return in use divided by usable
	 */
	public double getUsage() {
		return (double) this.inUse / this.usable;
	}

	/**
	 * Return when the sample that crossed the threshold was taken.
	 * @return the time of the sample
	 */
	public Instant getSampledAt() {
		return this.sampledAt;
	}

	/**
	 * Return whether pressure rose.
	 * @return {@code true} when the new level is higher than the previous one
	 */
	public boolean isRising() {
		return this.level.compareTo(this.previousLevel) > 0;
	}

	@Override
	public String toString() {
		return "ConnectionPressureEvent[" + this.previousLevel + " -> " + this.level + ", usage "
				+ Math.round(getUsage() * 100) + "%]";
	}

}
