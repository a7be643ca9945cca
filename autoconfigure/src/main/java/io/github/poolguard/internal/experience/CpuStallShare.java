package io.github.poolguard.internal.experience;

/**
 * The share of the last window in which runnable tasks waited for a CPU (Linux pressure-stall
 * information, and the container's CPU quota throttling), against the same share while no batch
 * ran.
 *
 * @param recent the share over the last window, 0 to 1: the largest of the system's stall share,
 * the cgroup's and the cgroup's throttled share
 * @param baseline the share learned while no batch ran, 0 to 1
 * @param throttled the share of the last window the cgroup's CPU quota throttled it, 0 to 1, or
 * -1 when its {@code cpu.stat} is not read
 * @param throttledPeriods how many quota periods in the last window ended throttled, or -1 when
 * its {@code cpu.stat} is not read
 */
public record CpuStallShare(double recent, double baseline, double throttled, long throttledPeriods) {

	/**
	 * Return how much of the recent time stalled beyond the baseline.
	 * @return the recent share minus the baseline, 0 to 1, negative when below it
	 */
	public double excess() {
		return this.recent - this.baseline;
	}

}
