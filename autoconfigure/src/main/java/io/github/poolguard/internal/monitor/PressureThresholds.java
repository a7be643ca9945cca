package io.github.poolguard.internal.monitor;

import io.github.poolguard.monitor.PressureLevel;

/**
 * The usage thresholds of {@link PressureLevel#WARNING} and {@link PressureLevel#CRITICAL},
 * with hysteresis: a level is entered at its threshold and left only once usage falls
 * {@link #HYSTERESIS} below it, so a server hovering at a threshold does not flap.
 *
 * @param warning share of usable connections in use from which the level is
 * {@link PressureLevel#WARNING}
 * @param critical share from which the level is {@link PressureLevel#CRITICAL}
 */
public record PressureThresholds(double warning, double critical) {

	/**
	 * How far below a threshold usage must fall before its level is left.
	 */
	public static final double HYSTERESIS = 0.05;

	/**
	 * Create thresholds, checking that both are in (0, 1] and that warning is below critical.
	 * @param warning the warning threshold
	 * @param critical the critical threshold
	 */
	public PressureThresholds {
		if (!(warning > 0 && warning <= 1) || !(critical > 0 && critical <= 1)) {
			throw new IllegalArgumentException("Thresholds must be greater than 0 and at most 1");
		}
		if (warning >= critical) {
			throw new IllegalArgumentException("The warning threshold must be below the critical threshold");
		}
	}

	/**
	 * Return the level for the given usage, coming from the given level.
	 * @param usage share of usable connections in use
	 * @param current the level so far
	 * @return the new level, which may be the same
	 */
	public PressureLevel levelFor(double usage, PressureLevel current) {
		if (usage >= this.critical || (current == PressureLevel.CRITICAL && usage >= this.critical - HYSTERESIS)) {
			return PressureLevel.CRITICAL;
		}
		if (usage >= this.warning || (current != PressureLevel.NORMAL && usage >= this.warning - HYSTERESIS)) {
			return PressureLevel.WARNING;
		}
		return PressureLevel.NORMAL;
	}

	/**
	 * Return the threshold that starts the given level.
	 * @param level {@link PressureLevel#WARNING} or {@link PressureLevel#CRITICAL}
	 * @return the threshold, or 0 for {@link PressureLevel#NORMAL}
	 */
	public double thresholdOf(PressureLevel level) {
		return switch (level) {
			case NORMAL -> 0;
			case WARNING -> this.warning;
			case CRITICAL -> this.critical;
		};
	}

}
