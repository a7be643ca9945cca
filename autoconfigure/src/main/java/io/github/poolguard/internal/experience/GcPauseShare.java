package io.github.poolguard.internal.experience;

/**
 * The share of recent wall-clock time the JVM spent paused for garbage collection, against the
 * same share while no batch ran.
 *
 * @param recent the share over the last few windows, 0 to 1
 * @param baseline the share learned while no batch ran, 0 to 1
 * @param seconds how many seconds the recent share covers
 */
public record GcPauseShare(double recent, double baseline, double seconds) {

	/**
	 * Return how much of the recent time was paused beyond the baseline.
	 * @return the recent share minus the baseline, 0 to 1, negative when below it
	 */
	public double excess() {
		return this.recent - this.baseline;
	}

}
