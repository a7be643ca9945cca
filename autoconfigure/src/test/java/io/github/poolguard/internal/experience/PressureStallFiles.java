package io.github.poolguard.internal.experience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Linux's CPU pressure-stall files, written by the test under a directory of its own: the
 * system's {@code proc/pressure/cpu}, the process's {@code proc/self/cgroup} naming a cgroup v2
 * {@code app.slice/app.service}, and that cgroup's {@code cpu.pressure} and {@code cpu.stat}
 * under {@code sys/fs/cgroup}. The test grows their totals between windows. For tests outside
 * this package.
 */
public final class PressureStallFiles {

	private final Path root;

	private long systemMicros = 1_000_000;

	private long cgroupMicros = 500_000;

	private long throttledPeriods = 3;

	private long throttledMicros = 40_000;

	/**
	 * Write the files under the given directory, with a cgroup that has throttling counters.
	 * @param root the test's directory
	 */
	public PressureStallFiles(Path root) {
		this.root = root;
		write(this.root.resolve("proc/self/cgroup"), "0::/app.slice/app.service\n");
		write();
	}

	/**
	 * Return a reader of these files.
	 * @return the reader
	 */
	public CpuPressureFiles reader() {
		return new CpuPressureFiles(this.root.resolve("proc/pressure/cpu"), this.root.resolve("proc/self/cgroup"),
				this.root.resolve("sys/fs/cgroup"));
	}

	/**
	 * Add stall time to the totals, as a window would.
	 * @param systemMicros microseconds the system stalled
	 * @param cgroupMicros microseconds the cgroup stalled
	 */
	public void stall(long systemMicros, long cgroupMicros) {
		this.systemMicros += systemMicros;
		this.cgroupMicros += cgroupMicros;
		write();
	}

	/**
	 * Add throttling to the cgroup's totals, as a window would.
	 * @param periods periods that ended throttled
	 * @param micros microseconds throttled
	 */
	public void throttle(long periods, long micros) {
		this.throttledPeriods += periods;
		this.throttledMicros += micros;
		write();
	}

	private void write() {
		// avg10 says something else than the totals on purpose: the reader must go by the totals
		write(this.root.resolve("proc/pressure/cpu"), pressure(this.systemMicros));
		Path cgroup = this.root.resolve("sys/fs/cgroup/app.slice/app.service");
		write(cgroup.resolve("cpu.pressure"), pressure(this.cgroupMicros));
		write(cgroup.resolve("cpu.stat"),
				String.format(Locale.ROOT,
						"usage_usec 123456789%nuser_usec 100000000%nsystem_usec 23456789%nnr_periods 1000%n"
								+ "nr_throttled %d%nthrottled_usec %d%nnr_bursts 0%nburst_usec 0%n",
						this.throttledPeriods, this.throttledMicros));
	}

	private static String pressure(long total) {
		return String.format(Locale.ROOT, "some avg10=87.65 avg60=43.21 avg300=12.34 total=%d%n"
				+ "full avg10=0.00 avg60=0.00 avg300=0.00 total=0%n", total);
	}

	private static void write(Path path, String content) {
		try {
			Files.createDirectories(path.getParent());
			Files.writeString(path, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
