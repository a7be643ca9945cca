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
 * free slot near its start goes to an overflow set. Registering is one compare-and-set,
 * releasing one read and one ordered store (no atomic instruction); neither allocates.
 *
 * <p>
 * What the cheap borrow and return cost the report of held connections
 * ({@link ConnectionHolders#getHolders()}, leak reports):
 * <ul>
 * <li><b>Coarse borrow times.</b> Only the sampled app borrows (one in
 * {@link ConnectionHolders#APP_TIMING_SAMPLE}) read {@code System.nanoTime()}; every other
 * borrow, background borrows included, records the clock the scheduler ticks every
 * {@link ConnectionHolders#CLOCK_TICK}. Its time is never later than the borrow, and earlier by
 * about one tick (10 ms and however late the scheduler runs it), so holds look up to that much
 * longer: nothing for a report and leak thresholds measured in seconds. When the scheduler's
 * threads are both busy (a sample waiting for its query timeout on each) or the machine starves
 * them, the clock stalls, and borrows made meanwhile are aged by as long as the stall: a
 * connection borrowed during a stall of some seconds shows held some seconds longer, and may be
 * reported as a leak that much earlier. The exact app-borrow timing ({@link AppBorrowTimes},
 * which paces batches) does not use the coarse clock; the longest hold
 * ({@link ConnectionHolders#getLongestHeld()}, the {@code poolguard.connections.held.max}
 * gauge) does.</li>
 * <li><b>A race that can drop a borrow from the report.</b> The periodic check
 * ({@link #removeIf}) frees the slot of a connection whose pool connection was closed behind the
 * wrapper's back. If, in the nanoseconds between its holder's release reading the slot and
 * clearing it, the check frees that slot and another borrow takes it, the release clears the
 * newcomer's slot: that one borrow is missing from the report (and never reported as a leak) for
 * as long as it is held, and its own release then finds its slot empty or taken by another
 * connection and leaves it. It needs
 * a connection closed behind PoolGuard's back and released in the same instant as the check
 * runs; a dropped borrow never makes another dropped one.</li>
 * </ul>
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
			// Only the connection that took a slot writes it, except removeIf on the checking
			// thread, which may free the slot of a connection closed behind its wrapper. So the
			// release checks the slot is still its own and then clears it with an ordered plain
			// store rather than a compare-and-set, which would cost an atomic instruction on every
			// return to close a window of a few nanoseconds against something that happens only
			// to connections closed outside PoolGuard (the race named in the class comment).
			if (this.slots.get(slot) == connection) {
				this.slots.setRelease(slot, null);
			}
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
