package io.github.poolguard.benchmarks.foreground;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Share of the whole machine's CPU time that was busy, from {@code /proc/stat}.
 */
final class MachineCpu {

	private MachineCpu() {
	}

	/**
	 * Read the machine's CPU counters.
	 * @return {busy, total} jiffies, or {@code {0, 0}} when unknown
	 */
	static long[] read() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < fields.length; i++) {
				total += Long.parseLong(fields[i]);
			}
			long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
			return new long[] { total - idle, total };
		}
		catch (Exception ex) {
			return new long[] { 0, 0 };
		}
	}

	/**
	 * Return the busy share since an earlier reading.
	 * @param before the earlier reading
	 * @return 0 to 1, or NaN when unknown
	 */
	static double busySince(long[] before) {
		long[] now = read();
		long total = now[1] - before[1];
		return (total <= 0) ? Double.NaN : (now[0] - before[0]) / (double) total;
	}

}
