package io.github.poolguard.internal.leak;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long app threads waited for and then held their connections, summed since start: what the
 * application feels of the database, recorded as app connections are returned (one in
 * {@link ConnectionHolders#APP_TIMING_SAMPLE}, an unbiased sample). Background borrows are left
 * out, as they are what the application competes with.
 *
 * <p>
 * Many app returns add to these sums, so they cost one atomic add and touch no line other
 * threads' returns touch: the sums are striped like {@link HeldConnections} (a return adds to the
 * cache line of the slot its connection held), and each stripe keeps the count and the time in
 * one long, the count in the low {@value #COUNT_BITS} bits and the nanoseconds above them. Sums
 * wrap, but the difference of two readings is exact while fewer than 2^{@value #COUNT_BITS}
 * (about a million) returns and under 2^44 ns (about 4.9 hours) of borrowing time fall between
 * them, which a reading once a second keeps far away; one return counts at most
 * {@link #MAX_NANOS}.
 */
public final class AppBorrowTimes {

	static final int COUNT_BITS = 20;

	private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

	// about 18 minutes: a longer hold is a leak, reported as such, and would crowd the sum
	static final long MAX_NANOS = 1L << 40;

	// one 64-byte cache line per stripe
	private static final int STRIDE = 8;

	private final AtomicLongArray cells = new AtomicLongArray(HeldConnections.LINES * STRIDE);

	void record(int slot, long nanos) {
		int stripe = (slot < 0) ? 0 : slot / HeldConnections.SLOTS_PER_LINE;
		this.cells.getAndAdd(stripe * STRIDE, (Math.min(nanos, MAX_NANOS) << COUNT_BITS) + 1);
	}

	/**
	 * Return the sums so far, to be subtracted from a later reading.
	 * @return the totals
	 */
	public Totals totals() {
		long packed = 0;
		for (int cell = 0; cell < this.cells.length(); cell += STRIDE) {
			packed += this.cells.get(cell);
		}
		return new Totals(packed);
	}

	/**
	 * The packed sums at one moment.
	 */
	public static final class Totals {

		private final long packed;

		Totals(long packed) {
			this.packed = packed;
		}

		/**
		 * Return how many app connections were returned between an earlier reading and this one.
		 * @param earlier the earlier reading
		 * @return the returns in between
		 */
		public long borrowsSince(Totals earlier) {
			return (this.packed - earlier.packed) & COUNT_MASK;
		}

		/**
		 * Return how long the connections returned between an earlier reading and this one were
		 * waited for and held, in total.
		 * @param earlier the earlier reading
		 * @return the nanoseconds waited and held
		 */
		public long nanosSince(Totals earlier) {
			return (this.packed - earlier.packed) >>> COUNT_BITS;
		}

	}

}
