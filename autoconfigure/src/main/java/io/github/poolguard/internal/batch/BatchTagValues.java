package io.github.poolguard.internal.batch;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the {@code batch} meter tag bounded: names are normalised (lower case, at most 40 of
 * {@code a-z 0-9 . _ -}), the first {@value #MAX_NAMES} distinct ones are kept, and any later
 * one becomes {@code other}, so runs named per day or per customer cannot grow the registry
 * without end.
 */
final class BatchTagValues {

	static final int MAX_NAMES = 20;

	static final String OTHER = "other";

	private final Set<String> known = ConcurrentHashMap.newKeySet();

	String of(String name) {
		String normalised = normalise(name);
		if (this.known.contains(normalised)) {
			return normalised;
		}
		synchronized (this.known) {
			if (this.known.size() < MAX_NAMES) {
				this.known.add(normalised);
				return normalised;
			}
		}
		return OTHER;
	}

	static String normalise(String name) {
		String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
		return (lower.length() > 40) ? lower.substring(0, 40) : lower;
	}

}
