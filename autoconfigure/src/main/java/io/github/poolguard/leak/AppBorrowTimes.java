package io.github.poolguard.leak;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long app threads waited for and held their connections, summed since start: what the
 * application feels of the database, recorded as each app connection is returned. Background
 * borrows are left out, as they are what the application competes with.
 *
 * <p>
 * Every app borrow updates these sums, so they are striped like {@link HeldConnections}: a
 * return adds to the cache line of the slot its connection held, which other threads' returns
 * rarely share. Readers add up all stripes.
 */
public final class AppBorrowTimes {

	// one 64-byte cache line per stripe: count, wait, hold and padding
	private static final int STRIDE = 8;

	private static final int COUNT = 0;

	private static final int WAIT = 1;

	private static final int HOLD = 2;

	private final AtomicLongArray cells = new AtomicLongArray(HeldConnections.LINES * STRIDE);

	void record(int slot, long waitNanos, long holdNanos) {
		int base = ((slot < 0) ? 0 : slot / HeldConnections.SLOTS_PER_LINE) * STRIDE;
		this.cells.getAndAdd(base + COUNT, 1);
		this.cells.getAndAdd(base + WAIT, waitNanos);
		this.cells.getAndAdd(base + HOLD, holdNanos);
	}

	/**
	 * Return the sums so far. Two totals taken some time apart give the mean wait and hold of
	 * the app borrows returned in between.
	 * @return the totals
	 */
	public Totals totals() {
		long count = 0;
		long wait = 0;
		long hold = 0;
		for (int base = 0; base < this.cells.length(); base += STRIDE) {
			count += this.cells.get(base + COUNT);
			wait += this.cells.get(base + WAIT);
			hold += this.cells.get(base + HOLD);
		}
		return new Totals(count, wait, hold);
	}

	/**
	 * Sums of app borrows returned since start.
	 *
	 * @param borrows how many app connections were returned
	 * @param waitNanos how long their borrowers waited for them, in total
	 * @param holdNanos how long they were held, in total
	 */
	public record Totals(long borrows, long waitNanos, long holdNanos) {

	}

}
