package io.github.poolguard.monitor;

import io.github.poolguard.internal.monitor.ServerSample;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the server's connection usage crosses the warning or critical threshold, up or
 * down. Published once per crossing: the thresholds have hysteresis.
 */
public class ConnectionPressureEvent extends ApplicationEvent {

	private final PressureLevel previousLevel;

	private final PressureLevel level;

	private final ServerSample sample;

	/**
	 * Create an event.
	 * @param source the monitor that saw the crossing
	 * @param previousLevel the level before
	 * @param level the level now
	 * @param sample the sample that crossed
	 */
	public ConnectionPressureEvent(Object source, PressureLevel previousLevel, PressureLevel level,
			ServerSample sample) {
		super(source);
		this.previousLevel = previousLevel;
		this.level = level;
		this.sample = sample;
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
	 * Return the sample that crossed the threshold.
	 * @return the sample
	 */
	public ServerSample getSample() {
		return this.sample;
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
				+ Math.round(this.sample.usage() * 100) + "%]";
	}

}
