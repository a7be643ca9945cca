package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.experience.LatencyTotals;

import io.github.poolguard.internal.leak.AppBorrowTimes;

/**
 * App connection borrows as the application feels them: the time a thread waited for a
 * connection plus the time its work held it, from PoolGuard's own holder tracking. It slows when
 * the pool runs short (wait) and when the server or the JVM slows the work done on a connection
 * (hold).
 */
public final class AppConnectionLatency implements LatencySource {

	private final AppBorrowTimes times;

	private AppBorrowTimes.Totals last;

	private long count;

	private long nanos;

	/**
	 * Create a source over the holder tracker's sums.
	 * @param times the sums of app borrows
	 */
	public AppConnectionLatency(AppBorrowTimes times) {
		this.times = times;
		this.last = times.totals();
	}

	@Override
	public String name() {
		return "app connection wait and hold";
	}

	@Override
	public synchronized LatencyTotals totals() {
		// the tracker keeps differences exact, not totals: add them up here, once per reading
		AppBorrowTimes.Totals now = this.times.totals();
		this.count += now.borrowsSince(this.last);
		this.nanos += now.nanosSince(this.last);
		this.last = now;
		return new LatencyTotals(this.count, this.nanos);
	}

}
