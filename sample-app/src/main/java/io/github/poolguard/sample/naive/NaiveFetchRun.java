package io.github.poolguard.sample.naive;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of one naive fetch run.
 */
public final class NaiveFetchRun {

	final AtomicInteger ok = new AtomicInteger();

	final AtomicInteger failed = new AtomicInteger();

	final AtomicLong rows = new AtomicLong();

	private final long id;

	private final int total;

	private final long startedAt = System.nanoTime();

	private volatile long finishedAt;

	NaiveFetchRun(long id, int total) {
		this.id = id;
		this.total = total;
	}

	public long getId() {
		return this.id;
	}

	public int getTotal() {
		return this.total;
	}

	public int getOk() {
		return this.ok.get();
	}

	public int getFailed() {
		return this.failed.get();
	}

	public long getRowsWritten() {
		return this.rows.get();
	}

	public boolean isFinished() {
		return this.finishedAt != 0;
	}

	/**
	 * Return how long the run took, or has taken so far.
	 * @return the elapsed time
	 */
	public Duration elapsed() {
		long end = isFinished() ? this.finishedAt : System.nanoTime();
		return Duration.ofNanos(end - this.startedAt);
	}

	void finish() {
		this.finishedAt = System.nanoTime();
	}

}
