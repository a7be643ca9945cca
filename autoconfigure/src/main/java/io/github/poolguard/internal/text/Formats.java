package io.github.poolguard.internal.text;

import java.time.Duration;
import java.util.Locale;

/**
 * Formats durations and shares the same way in every log line, warning and progress line.
 */
public final class Formats {

	private Formats() {
	}

	/**
	 * Format a duration for people, compactly: {@code 0.3s} and {@code 2.9s} below ten seconds,
	 * then {@code 42s}, {@code 7m3s}, {@code 2h5m}.
	 * @param duration the duration
	 * @return the text
	 */
	public static String duration(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return (seconds < 10) ? String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0) : seconds + "s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + "m" + (seconds % 60) + "s";
		}
		return (seconds / 3600) + "h" + (seconds % 3600 / 60) + "m";
	}

	/**
	 * Format a share as a whole percent: {@code 0.8} is {@code 80%}.
	 * @param share the share, 1 for all
	 * @return the text
	 */
	public static String percent(double share) {
		return Math.round(share * 100) + "%";
	}

}
