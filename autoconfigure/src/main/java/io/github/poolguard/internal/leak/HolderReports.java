package io.github.poolguard.internal.leak;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.github.poolguard.routing.Workload;

/**
 * Answers what is held now, from the {@link HeldConnections}: the holders longest held first,
 * how many a kind of work holds, and the longest hold.
 */
final class HolderReports {

	private final HeldConnections held;

	HolderReports(HeldConnections held) {
		this.held = held;
	}

	List<ConnectionHolder> holders() {
		long now = System.nanoTime();
		Instant wallNow = Instant.now();
		List<TrackedConnection> held = new ArrayList<>();
		this.held.forEach(held::add);
		return held.stream()
			.sorted(Comparator.comparingLong((TrackedConnection tracked) -> tracked.borrowedNanos))
			.map((tracked) -> toHolder(tracked, now, wallNow))
			.toList();
	}

	int countHeld(Workload workload, boolean scheduled) {
		int[] count = { 0 };
		this.held.forEach((tracked) -> {
			if (tracked.workload == workload && tracked.scheduled == scheduled) {
				count[0]++;
			}
		});
		return count[0];
	}

	Duration longestHeld() {
		long now = System.nanoTime();
		long[] longest = { 0 };
		this.held.forEach((tracked) -> longest[0] = Math.max(longest[0], now - tracked.borrowedNanos));
		return Duration.ofNanos(longest[0]);
	}

	static ConnectionHolder toHolder(TrackedConnection tracked, long now, Instant wallNow) {
		Duration heldFor = Duration.ofNanos(now - tracked.borrowedNanos);
		List<String> stack = null;
		if (tracked.stack != null) {
			stack = Arrays.stream(tracked.stack.getStackTrace()).map(StackTraceElement::toString).toList();
		}
		return new ConnectionHolder(tracked.pool, tracked.thread, wallNow.minus(heldFor), heldFor, stack,
				tracked.workload, tracked.scheduled);
	}

}
