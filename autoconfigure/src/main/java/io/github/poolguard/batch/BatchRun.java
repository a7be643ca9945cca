package io.github.poolguard.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * A handle on a batch run started by {@link ThrottlingExecutor#run}: live progress, the items
 * that failed, the operator controls (pause, resume, cancel, change of concurrency), and the
 * final {@link BatchReport}. Each control is logged once with who asked for it.
 *
 * @param <T> the item type
 */
public final class BatchRun<T> {

	private static final Log logger = LogFactory.getLog(BatchRun.class);

	/**
	 * Who the controls name when the application itself calls them.
	 */
	public static final String JAVA_API = "the application (Java API)";

	private final String name;

	private final int total;

	private final BatchOptions options;

	private final Instant startedAt = Instant.now();

	private final long startNanos = System.nanoTime();

	private volatile long endNanos;

	private volatile BatchState state = BatchState.RUNNING;

	private volatile boolean cancelRequested;

	private volatile boolean pauseRequested;

	private volatile int concurrency;

	private volatile int maxConcurrency;

	private volatile Runnable onControl = () -> {
	};

	private final AtomicInteger succeeded = new AtomicInteger();

	private final AtomicInteger retries = new AtomicInteger();

	private final AtomicInteger yields = new AtomicInteger();

	private final Queue<ItemFailure<T>> failures = new ConcurrentLinkedQueue<>();

	private final Queue<T> notRun = new ConcurrentLinkedQueue<>();

	private final CompletableFuture<BatchReport<T>> completion = new CompletableFuture<>();

	// what the run's dispatcher allows in flight now; its concurrency until it is dispatched
	private volatile IntSupplier itemsAllowed = this::getConcurrency;

	BatchRun(String name, int total, BatchOptions options) {
		this.name = name;
		this.total = total;
		this.options = options;
		this.concurrency = options.concurrency();
		this.maxConcurrency = options.concurrency();
	}

	/**
	 * Return the run's name.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Return the options the run uses.
	 * @return the options
	 */
	public BatchOptions getOptions() {
		return this.options;
	}

	/**
	 * Return a snapshot of the run's progress.
	 * @return the progress now
	 */
	public BatchProgress progress() {
		long end = this.state.isFinished() ? this.endNanos : System.nanoTime();
		return new BatchProgress(this.name, this.state, this.total, this.succeeded.get(), this.failures.size(),
				this.notRun.size(), this.retries.get(), this.yields.get(), this.startedAt,
				Duration.ofNanos(end - this.startNanos));
	}

	/**
	 * Return the items that failed so far.
	 * @return the failures
	 */
	public List<ItemFailure<T>> failures() {
		return List.copyOf(this.failures);
	}

	/**
	 * Ask the run to stop: items in flight finish, items not started are reported as not run.
	 * @return {@code true} if the run had not finished yet
	 */
	public boolean cancel() {
		return cancel(JAVA_API);
	}

	/**
	 * Ask the run to stop, naming who asks: items in flight finish, items not started are
	 * reported as not run.
	 * @param actor who asks, for the log line
	 * @return {@code true} if the run had not finished yet
	 */
	public boolean cancel(String actor) {
		if (this.state.isFinished() || this.cancelRequested) {
			return !this.state.isFinished();
		}
		this.cancelRequested = true;
		logger.info(this.name + ": cancel requested by " + actor + " at " + progress().done() + "/" + this.total
				+ "; items in flight finish, the rest are reported as not run");
		this.onControl.run();
		return true;
	}

	/**
	 * Stop starting items until {@link #resume} is called; items in flight finish.
	 * @param actor who asks, for the log line
	 * @return {@code true} if the run was running and is now paused
	 */
	public boolean pause(String actor) {
		if (this.state.isFinished() || this.pauseRequested) {
			return false;
		}
		this.pauseRequested = true;
		logger.info(this.name + ": paused by " + actor + " at " + progress().done() + "/" + this.total);
		this.onControl.run();
		return true;
	}

	/**
	 * Start items again after {@link #pause}.
	 * @param actor who asks, for the log line
	 * @return {@code true} if the run was paused and now runs again
	 */
	public boolean resume(String actor) {
		if (this.state.isFinished() || !this.pauseRequested) {
			return false;
		}
		this.pauseRequested = false;
		// running again from now, even while its dispatcher waits out a paced pause before the
		// next item (the dispatcher only marks a run RUNNING when it starts one)
		if (this.state == BatchState.PAUSED) {
			state(BatchState.RUNNING);
		}
		logger.info(this.name + ": resumed by " + actor + " at " + progress().done() + "/" + this.total);
		this.onControl.run();
		return true;
	}

	/**
	 * Change how many items of the run may be in flight at once, from the next item on.
	 * @param concurrency the new limit, between 1 and the executor's {@code max-concurrency}
	 * @param actor who asks, for the log line
	 * @return the previous limit
	 * @throws IllegalArgumentException when the limit is out of range
	 */
	public int setConcurrency(int concurrency, String actor) {
		Assert.isTrue(concurrency >= 1 && concurrency <= this.maxConcurrency, () -> "Batch run '" + this.name
				+ "': concurrency must be between 1 and " + this.maxConcurrency + ", not " + concurrency);
		int previous = this.concurrency;
		this.concurrency = concurrency;
		logger.info(this.name + ": concurrency changed from " + previous + " to " + concurrency + " by " + actor);
		this.onControl.run();
		return previous;
	}

	/**
	 * Return how many items of the run may be in flight at once now.
	 * @return the concurrency
	 */
	public int getConcurrency() {
		return this.concurrency;
	}

	/**
	 * Return how many items of the run its pacing lets be in flight now: its concurrency, or
	 * less while latency pacing slows batch work or the run starts slowly
	 * ({@code poolguard.batch.slow-start}).
	 * @return the items allowed now
	 */
	public int getItemsAllowed() {
		return this.itemsAllowed.getAsInt();
	}

	/**
	 * Return whether an operator paused the run.
	 * @return {@code true} while paused
	 */
	public boolean isPauseRequested() {
		return this.pauseRequested;
	}

	/**
	 * Wait for the run to finish.
	 * @return the report
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public BatchReport<T> await() throws InterruptedException {
		try {
			return this.completion.get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Batch run '" + this.name + "' broke down", ex.getCause());
		}
	}

	/**
	 * Wait at most the given time for the run to finish.
	 * @param timeout the longest wait
	 * @return the report
	 * @throws InterruptedException if the waiting thread is interrupted
	 * @throws TimeoutException if the run has not finished in time
	 */
	public BatchReport<T> await(Duration timeout) throws InterruptedException, TimeoutException {
		try {
			return this.completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Batch run '" + this.name + "' broke down", ex.getCause());
		}
	}

	/**
	 * Return a future that completes with the report when the run finishes.
	 * @return the future (completing it from outside has no effect on the run)
	 */
	public CompletableFuture<BatchReport<T>> completion() {
		return this.completion.copy();
	}

	boolean isCancelRequested() {
		return this.cancelRequested;
	}

	void controlledBy(Runnable onControl, int maxConcurrency, IntSupplier itemsAllowed) {
		this.onControl = onControl;
		this.maxConcurrency = maxConcurrency;
		this.itemsAllowed = itemsAllowed;
	}

	void state(BatchState state) {
		if (!this.state.isFinished()) {
			this.state = state;
		}
	}

	void succeeded() {
		this.succeeded.incrementAndGet();
	}

	void failed(T item, Throwable cause, int attempts) {
		this.failures.add(new ItemFailure<>(item, cause, attempts));
	}

	void notRun(T item) {
		this.notRun.add(item);
	}

	void retried() {
		this.retries.incrementAndGet();
	}

	void yielding(boolean yielding) {
		if (yielding) {
			this.yields.incrementAndGet();
		}
		state(yielding ? BatchState.YIELDING : BatchState.RUNNING);
	}

	BatchReport<T> finish(BatchState finalState) {
		this.endNanos = System.nanoTime();
		this.state = finalState;
		BatchReport<T> report = new BatchReport<>(progress(), List.copyOf(this.failures), List.copyOf(this.notRun));
		this.completion.complete(report);
		return report;
	}

	void breakDown(Throwable failure) {
		this.endNanos = System.nanoTime();
		this.state = BatchState.STOPPED;
		this.completion.completeExceptionally(failure);
	}

}
