package io.github.poolguard.sample.fetch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.github.poolguard.batch.BatchProgress;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchRun;
import org.jspecify.annotations.Nullable;

/**
 * A fetch run in progress: its id, the batch run behind it, and the rows written so far.
 */
public final class FetchHandle {

	private final long id;

	private final BatchRun<String> run;

	private final AtomicLong rows;

	private final int upToDate;

	private final CompletableFuture<BatchReport<String>> recorded;

	FetchHandle(long id, BatchRun<String> run, AtomicLong rows, int upToDate,
			CompletableFuture<BatchReport<String>> recorded) {
		this.id = id;
		this.run = run;
		this.rows = rows;
		this.upToDate = upToDate;
		this.recorded = recorded;
	}

	public long getId() {
		return this.id;
	}

	public BatchProgress progress() {
		return this.run.progress();
	}

	public long rowsWritten() {
		return this.rows.get();
	}

	/**
	 * Return the tickers left out of the run because everything about them was fetched today.
	 * @return how many
	 */
	public int upToDate() {
		return this.upToDate;
	}

	/**
	 * Wait at most the given time for the run to finish and its outcome to be recorded.
	 * @param timeout the longest wait
	 * @return the report, or {@code null} when the run is still going
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public @Nullable BatchReport<String> await(Duration timeout) throws InterruptedException {
		try {
			return this.recorded.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return null;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Fetch run " + this.id + " broke down", ex.getCause());
		}
	}

	/**
	 * Wait until the run has finished and its outcome is recorded.
	 * @return the report
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public BatchReport<String> await() throws InterruptedException {
		try {
			return this.recorded.get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Fetch run " + this.id + " broke down", ex.getCause());
		}
	}

	/**
	 * Ask the run to stop after the tickers in flight.
	 */
	public void cancel() {
		this.run.cancel();
	}

}
