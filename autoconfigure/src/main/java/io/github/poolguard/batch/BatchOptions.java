package io.github.poolguard.batch;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How a batch run is throttled. The executor's defaults come from {@code poolguard.batch.*};
 * a run may override any of them with the {@code with…} methods.
 *
 * @param concurrency most items of the run in flight at once (never more than the executor's
 * {@code max-concurrency})
 * @param chunkSize items taken per chunk
 * @param delayBetweenChunks pause after each chunk (zero allowed)
 * @param maxAttempts attempts per item when it fails with a transient database error
 * @param initialBackoff wait before the first retry, doubled for each further one
 * @param yieldToApp whether to wait before each chunk while the application is under pressure
 * @param exclusive whether at most one instance of the application may run a batch of this name
 * at a time (see {@link BatchClaims}); the others skip it
 * @param pacing how chunks and database steps are paced
 */
public record BatchOptions(int concurrency, int chunkSize, Duration delayBetweenChunks, int maxAttempts,
		Duration initialBackoff, boolean yieldToApp, boolean exclusive, PacingMode pacing) {

	/**
	 * Create adaptive options.
	 * @param concurrency most items in flight at once
	 * @param chunkSize items taken per chunk
	 * @param delayBetweenChunks pause after each chunk
	 * @param maxAttempts attempts per item on transient database errors
	 * @param initialBackoff wait before the first retry
	 * @param yieldToApp whether to wait while the application is under pressure
	 * @param exclusive whether at most one instance runs a batch of this name at a time
	 */
	public BatchOptions(int concurrency, int chunkSize, Duration delayBetweenChunks, int maxAttempts,
			Duration initialBackoff, boolean yieldToApp, boolean exclusive) {
		this(concurrency, chunkSize, delayBetweenChunks, maxAttempts, initialBackoff, yieldToApp, exclusive,
				PacingMode.ADAPTIVE);
	}

	/**
	 * Create adaptive options for a run that any instance may run alongside the others.
	 * @param concurrency most items in flight at once
	 * @param chunkSize items taken per chunk
	 * @param delayBetweenChunks pause after each chunk
	 * @param maxAttempts attempts per item on transient database errors
	 * @param initialBackoff wait before the first retry
	 * @param yieldToApp whether to wait while the application is under pressure
	 */
	public BatchOptions(int concurrency, int chunkSize, Duration delayBetweenChunks, int maxAttempts,
			Duration initialBackoff, boolean yieldToApp) {
		this(concurrency, chunkSize, delayBetweenChunks, maxAttempts, initialBackoff, yieldToApp, false);
	}

	/**
	 * Validate the options.
	 */
	public BatchOptions {
		Assert.isTrue(concurrency >= 1, "concurrency must be at least 1");
		Assert.isTrue(chunkSize >= 1, "chunk size must be at least 1");
		Assert.isTrue(!delayBetweenChunks.isNegative(), "delay between chunks must not be negative");
		Assert.isTrue(maxAttempts >= 1, "max attempts must be at least 1");
		Assert.isTrue(!initialBackoff.isNegative(), "initial backoff must not be negative");
		Assert.notNull(pacing, "pacing must not be null");
	}

	public BatchOptions withConcurrency(int concurrency) {
		return new BatchOptions(concurrency, this.chunkSize, this.delayBetweenChunks, this.maxAttempts,
				this.initialBackoff, this.yieldToApp, this.exclusive, this.pacing);
	}

	public BatchOptions withChunkSize(int chunkSize) {
		return new BatchOptions(this.concurrency, chunkSize, this.delayBetweenChunks, this.maxAttempts,
				this.initialBackoff, this.yieldToApp, this.exclusive, this.pacing);
	}

	public BatchOptions withDelayBetweenChunks(Duration delayBetweenChunks) {
		return new BatchOptions(this.concurrency, this.chunkSize, delayBetweenChunks, this.maxAttempts,
				this.initialBackoff, this.yieldToApp, this.exclusive, this.pacing);
	}

	public BatchOptions withMaxAttempts(int maxAttempts) {
		return new BatchOptions(this.concurrency, this.chunkSize, this.delayBetweenChunks, maxAttempts,
				this.initialBackoff, this.yieldToApp, this.exclusive, this.pacing);
	}

	public BatchOptions withInitialBackoff(Duration initialBackoff) {
		return new BatchOptions(this.concurrency, this.chunkSize, this.delayBetweenChunks, this.maxAttempts,
				initialBackoff, this.yieldToApp, this.exclusive, this.pacing);
	}

	public BatchOptions withYieldToApp(boolean yieldToApp) {
		return new BatchOptions(this.concurrency, this.chunkSize, this.delayBetweenChunks, this.maxAttempts,
				this.initialBackoff, yieldToApp, this.exclusive, this.pacing);
	}

	/**
	 * Return these options for a run that at most one instance of the application runs at a
	 * time: the instance that claims the name first runs it, the others skip it (state
	 * {@link BatchState#SKIPPED}) until the claim is free again.
	 * @param exclusive whether the run is exclusive
	 * @return the options
	 */
	public BatchOptions withExclusive(boolean exclusive) {
		return new BatchOptions(this.concurrency, this.chunkSize, this.delayBetweenChunks, this.maxAttempts,
				this.initialBackoff, this.yieldToApp, exclusive, this.pacing);
	}

	/**
	 * Return these options with another pacing.
	 * @param pacing {@link PacingMode#ADAPTIVE} or {@link PacingMode#FIXED}
	 * @return the options
	 */
	public BatchOptions withPacing(PacingMode pacing) {
		return new BatchOptions(this.concurrency, this.chunkSize, this.delayBetweenChunks, this.maxAttempts,
				this.initialBackoff, this.yieldToApp, this.exclusive, pacing);
	}

}
