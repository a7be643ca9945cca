package io.github.poolguard.sample.fetch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import io.github.poolguard.batch.BatchProgress;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchRun;

/**
 * A fetch run in progress: its id, the batch run behind it, and the rows written so far.
 */
public final class FetchHandle {

	private final long id;

	private final BatchRun<String> run;

	private final AtomicLong rows;

	private final CompletableFuture<BatchReport<String>> recorded;

	FetchHandle(long id, BatchRun<String> run, AtomicLong rows, CompletableFuture<BatchReport<String>> recorded) {
		this.id = id;
		this.run = run;
		this.rows = rows;
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
