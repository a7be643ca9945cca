package io.github.poolguard.monitor;

/**
 * How close the server is to running out of connections.
 */
public enum PressureLevel {

	/**
	 * Below the warning threshold.
	 */
	NORMAL,

	/**
	 * At or above the warning threshold, below the critical one.
	 */
	WARNING,

	/**
	 * At or above the critical threshold.
	 */
	CRITICAL

}
