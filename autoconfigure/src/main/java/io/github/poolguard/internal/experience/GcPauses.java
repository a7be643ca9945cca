package io.github.poolguard.internal.experience;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM's total time in stop-the-world garbage collection so far, from the collectors' MXBeans.
 *
 * <p>
 * Only the pausing collectors count: the beans of concurrent phases ({@code G1 Concurrent GC},
 * {@code ZGC Cycles}, {@code Shenandoah Cycles}) report time the application kept running, which
 * is not what a request waiting behind a pause feels. A collector's time is in milliseconds;
 * summed over a window of a second it is precise enough to tell a 1 % share from a 5 % one.
 */
final class GcPauses {

	private final List<GarbageCollectorMXBean> pausing;

	private GcPauses(List<GarbageCollectorMXBean> collectors) {
		this.pausing = collectors.stream().filter(GcPauses::pauses).toList();
	}

	/**
	 * Read the running JVM's collectors.
	 * @return the reader
	 */
	static GcPauses ofRunningJvm() {
		return new GcPauses(ManagementFactory.getGarbageCollectorMXBeans());
	}

	/**
	 * Return the time spent in pausing collections since the JVM started.
	 * @return the total pause time in nanoseconds, 0 when no collector reports it
	 */
	long totalNanos() {
		long millis = 0;
		for (GarbageCollectorMXBean collector : this.pausing) {
			long time = collector.getCollectionTime();
			if (time > 0) {
				millis += time;
			}
		}
		return millis * 1_000_000L;
	}

	static boolean pauses(GarbageCollectorMXBean collector) {
		String name = collector.getName();
		return !name.contains("Concurrent") && !name.contains("Cycles");
	}

}
