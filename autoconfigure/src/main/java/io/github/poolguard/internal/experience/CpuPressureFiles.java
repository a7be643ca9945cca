package io.github.poolguard.internal.experience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Linux's CPU pressure-stall information, read from the files the kernel gives it in: the
 * system's {@code /proc/pressure/cpu} and, under cgroup v2, the process's own cgroup's
 * {@code cpu.pressure} and {@code cpu.stat}.
 *
 * <p>
 * Only the running totals are read, never the kernel's averages: the {@code total=} microseconds
 * of the {@code some} line (how long at least one runnable task waited for a CPU) and
 * {@code cpu.stat}'s {@code nr_throttled} and {@code throttled_usec} (how often and how long the
 * cgroup's CPU quota stopped it). The sampler takes their differences over its own window.
 *
 * <p>
 * The cgroup is the one {@code /proc/self/cgroup} names on its {@code 0::} line (the only line
 * under cgroup v2), resolved under the cgroup mount; when that directory has no
 * {@code cpu.pressure} (a cgroup namespace that shows the container's cgroup as the root, or a
 * path the mount does not show), the mount's own {@code cpu.pressure} is read. Each file is kept
 * only if it could be read when the reader was made: on macOS, before Linux 4.20, with PSI
 * disabled ({@code psi=0}) or under cgroup v1 they are missing or unreadable, and the reader is
 * {@link #isAvailable() not available}.
 */
public final class CpuPressureFiles {

	private final @Nullable Path system;

	private final @Nullable Path cgroupPressure;

	private final @Nullable Path cgroupStat;

	/**
	 * Create a reader of the given files, keeping those that can be read now.
	 * @param systemPressure the system's CPU pressure, {@code /proc/pressure/cpu}
	 * @param selfCgroup the process's cgroups, {@code /proc/self/cgroup}
	 * @param cgroupMount where cgroup v2 is mounted, {@code /sys/fs/cgroup}
	 */
	public CpuPressureFiles(Path systemPressure, Path selfCgroup, Path cgroupMount) {
		this.system = (readSomeTotal(systemPressure) != null) ? systemPressure : null;
		Path cgroup = cgroupDirectory(selfCgroup, cgroupMount);
		if (cgroup == null || readSomeTotal(cgroup.resolve("cpu.pressure")) == null) {
			cgroup = cgroupMount;
		}
		Path pressure = cgroup.resolve("cpu.pressure");
		this.cgroupPressure = (readSomeTotal(pressure) != null) ? pressure : null;
		Path stat = cgroup.resolve("cpu.stat");
		this.cgroupStat = (readThrottling(stat) != null) ? stat : null;
	}

	/**
	 * Read the running system's and process's files.
	 * @return the reader
	 */
	public static CpuPressureFiles ofRunningSystem() {
		return new CpuPressureFiles(Path.of("/proc/pressure/cpu"), Path.of("/proc/self/cgroup"),
				Path.of("/sys/fs/cgroup"));
	}

	/**
	 * Return whether any CPU pressure-stall file could be read.
	 * @return whether the reader gives totals
	 */
	public boolean isAvailable() {
		return this.system != null || this.cgroupPressure != null;
	}

	/**
	 * Return whether the cgroup's throttling ({@code cpu.stat}) is read.
	 * @return whether {@link Totals#throttledPeriods()} and {@link Totals#throttledMicros()}
	 * mean anything
	 */
	public boolean readsThrottling() {
		return this.cgroupStat != null;
	}

	/**
	 * Return the files read, for the logs.
	 * @return the paths read
	 */
	public List<Path> files() {
		List<Path> files = new ArrayList<>();
		for (Path path : new Path[] { this.system, this.cgroupPressure, this.cgroupStat }) {
			if (path != null) {
				files.add(path);
			}
		}
		return files;
	}

	/**
	 * Read the totals now.
	 * @return the totals, -1 for a file that is not read or no longer can be
	 */
	public Totals read() {
		return new Totals(someTotal(this.system), someTotal(this.cgroupPressure), throttling(0), throttling(1));
	}

	private long someTotal(@Nullable Path path) {
		Long total = (path != null) ? readSomeTotal(path) : null;
		return (total != null) ? total : -1;
	}

	private long throttling(int field) {
		long[] throttling = (this.cgroupStat != null) ? readThrottling(this.cgroupStat) : null;
		return (throttling != null) ? throttling[field] : -1;
	}

	static @Nullable Path cgroupDirectory(Path selfCgroup, Path cgroupMount) {
		for (String line : lines(selfCgroup)) {
			if (line.startsWith("0::")) {
				String relative = line.substring(3).trim();
				while (relative.startsWith("/")) {
					relative = relative.substring(1);
				}
				return relative.isEmpty() ? cgroupMount : cgroupMount.resolve(relative);
			}
		}
		return null;
	}

	/**
	 * The {@code total=} of the {@code some} line, in microseconds.
	 */
	static @Nullable Long readSomeTotal(Path path) {
		for (String line : lines(path)) {
			if (line.startsWith("some ")) {
				for (String field : line.split("\\s+")) {
					if (field.startsWith("total=")) {
						return parse(field.substring(6));
					}
				}
			}
		}
		return null;
	}

	/**
	 * {@code nr_throttled} and {@code throttled_usec}, or {@code null} when either is missing (the
	 * root cgroup has neither).
	 */
	static long @Nullable [] readThrottling(Path path) {
		Long periods = null;
		Long micros = null;
		for (String line : lines(path)) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length == 2 && fields[0].equals("nr_throttled")) {
				periods = parse(fields[1]);
			}
			else if (fields.length == 2 && fields[0].equals("throttled_usec")) {
				micros = parse(fields[1]);
			}
		}
		return (periods != null && micros != null) ? new long[] { periods, micros } : null;
	}

	private static @Nullable Long parse(String value) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static List<String> lines(Path path) {
		try {
			// a few hundred bytes of a pseudo-file: read whole, no lock held
			return Files.readAllLines(path, StandardCharsets.US_ASCII);
		}
		catch (IOException | UncheckedIOException | SecurityException ex) {
			// absent (macOS, old kernels, cgroup v1) or refused (psi=0 gives EOPNOTSUPP)
			return List.of();
		}
	}

	/**
	 * The running totals at one moment; -1 for what is not read.
	 *
	 * @param systemStallMicros the system's {@code some} stall total, microseconds
	 * @param cgroupStallMicros the cgroup's {@code some} stall total, microseconds
	 * @param throttledPeriods the cgroup's {@code nr_throttled}
	 * @param throttledMicros the cgroup's {@code throttled_usec}
	 */
	public record Totals(long systemStallMicros, long cgroupStallMicros, long throttledPeriods,
			long throttledMicros) {

	}

}
