package io.github.poolguard.batch;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

import io.github.poolguard.internal.text.Formats;
import io.github.poolguard.routing.Workload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;

/**
 * Starts the items of one batch run on the executor's workers: chunk by chunk as its
 * {@link ChunkPacing} allows, no more than the run's concurrency in flight, not while an
 * operator paused it, yielding while the application is under pressure, and re-checking an
 * exclusive run's claim before each item. It has no thread: it moves on when an item ends, when
 * a timer fires after a pause, and when an operator acts on the run.
 *
 * @param <T> the item type
 */
final class RunDispatcher<T> {

	private static final Log logger = LogFactory.getLog(ThrottlingExecutor.class);

	private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

	private static final long PROGRESS_NANOS = Duration.ofSeconds(5).toNanos();

	private final RunCallbacks executor;

	private final BatchRun<T> run;

	private final Iterator<T> remaining;

	private final PacedItemHandler<? super T> handler;

	private final BatchClaims.@Nullable BatchClaim claim;

	private final ChunkPacing pacing;

	private final RetryTemplate retry;

	private final int chunkSize;

	// A lock, not a monitor: step() checks an exclusive run's claim (a round trip to the server)
	// while holding it, on the caller's thread, which is virtual in a virtual-thread application;
	// a monitor held across that I/O pins the carrier thread on JDK 21 to 23.
	private final ReentrantLock lock = new ReentrantLock();

	private int inFlight;

	private int startedInChunk;

	private long wakeAt;

	private long yieldingSince = -1;

	private boolean forcedChunk;

	private boolean lostClaim;

	private boolean finished;

	private long lastLog = System.nanoTime();

	RunDispatcher(RunCallbacks executor, BatchRun<T> run, List<T> items, PacedItemHandler<? super T> handler,
			BatchClaims.@Nullable BatchClaim claim, ChunkPacing pacing, RetryTemplate retry) {
		this.executor = executor;
		this.run = run;
		this.remaining = items.iterator();
		this.handler = handler;
		this.claim = claim;
		this.pacing = pacing;
		this.retry = retry;
		this.chunkSize = run.getOptions().chunkSize();
		this.wakeAt = System.nanoTime();
	}

	/**
	 * Start what may start now, or finish the run when nothing more will.
	 */
	void pump() {
		BatchState end;
		this.lock.lock();
		try {
			end = step();
			if (end == null) {
				return;
			}
			this.finished = true;
			if (this.yieldingSince != -1) {
				this.pacing.onPressureEnded();
			}
			this.remaining.forEachRemaining(this.run::notRun);
		}
		finally {
			this.lock.unlock();
		}
		this.executor.finish(this.run, end, this.claim);
	}

	/**
	 * Return the items the run's pacing allows in flight now.
	 * @return the items allowed
	 */
	int itemsAllowed() {
		return this.pacing.itemsAllowed(this.run.getConcurrency());
	}

	private @Nullable BatchState step() {
		if (this.finished) {
			return null;
		}
		while (true) {
			boolean stopping = this.run.isCancelRequested() || !this.executor.isAccepting() || this.lostClaim;
			if (stopping || !this.remaining.hasNext()) {
				return (this.inFlight > 0) ? null : endState(stopping);
			}
			if (this.run.isPauseRequested()) {
				this.run.state(BatchState.PAUSED);
				return null;
			}
			if (System.nanoTime() - this.wakeAt < 0
					|| this.inFlight >= this.pacing.itemsAllowed(this.run.getConcurrency())) {
				return null;
			}
			if (this.startedInChunk == this.chunkSize) {
				if (this.pacing.waitsForChunk() && this.inFlight > 0) {
					return null;
				}
				this.startedInChunk = 0;
				this.forcedChunk = false;
				logProgress();
				Duration pause = this.pacing.pauseAfterChunk();
				if (pause.compareTo(this.executor.maxYield()) > 0) {
					pause = this.executor.maxYield();
				}
				if (!pause.isZero()) {
					sleep(pause.toNanos());
					return null;
				}
			}
			if (!mayStartItem()) {
				if (this.lostClaim) {
					continue;
				}
				return null;
			}
			start(this.remaining.next());
		}
	}

	private BatchState endState(boolean stopping) {
		if (stopping && this.remaining.hasNext()) {
			return (this.executor.isAccepting() && !this.lostClaim) ? BatchState.CANCELLED : BatchState.STOPPED;
		}
		if (this.executor.isForcedStop() || (!this.executor.isAccepting() && this.run.progress().notRun() > 0)) {
			// the drain took queued items of the last chunk: the run did not complete
			return BatchState.STOPPED;
		}
		return BatchState.COMPLETED;
	}

	private boolean mayStartItem() {
		if (this.claim != null && !this.claim.isHeld()) {
			logger.warn(this.run.getName() + ": lost its exclusive claim (its session on the server ended), so"
					+ " another instance may run it now; stopping here, items not started are reported as not run");
			this.lostClaim = true;
			return false;
		}
		boolean check = this.run.getOptions().yieldToApp() && !this.forcedChunk
				&& (this.startedInChunk == 0 || this.pacing.checksEveryItem());
		String pressure = check ? this.executor.currentPressure() : null;
		if (pressure == null) {
			if (this.yieldingSince != -1) {
				this.pacing.onPressureEnded();
				this.run.yielding(false);
				logger.info(this.run.getName() + ": resuming after pausing for "
						+ Formats.duration(Duration.ofNanos(System.nanoTime() - this.yieldingSince)));
				this.yieldingSince = -1;
			}
			else {
				this.run.state(BatchState.RUNNING);
			}
			return true;
		}
		if (this.yieldingSince == -1) {
			this.yieldingSince = System.nanoTime();
			this.pacing.onPressure();
			this.run.yielding(true);
			this.executor.metrics().yielded(this.run.getName());
			logger.info(this.run.getName() + ": pausing before the next "
					+ (this.startedInChunk == 0 ? "chunk" : "item") + ": " + pressure);
		}
		Duration maxYield = this.executor.maxYield();
		if (System.nanoTime() - this.yieldingSince >= maxYield.toNanos()) {
			this.run.yielding(false);
			this.pacing.onPressureEnded();
			this.yieldingSince = -1;
			this.forcedChunk = true;
			logger.warn(this.run.getName() + ": running one chunk after pausing for " + Formats.duration(maxYield)
					+ " (poolguard.batch.max-yield) although the pressure persists: " + pressure);
			return true;
		}
		sleep(POLL_NANOS);
		return false;
	}

	private void sleep(long nanos) {
		this.wakeAt = System.nanoTime() + nanos;
		this.executor.schedule(this::pump, nanos);
	}

	private void start(T item) {
		this.inFlight++;
		this.startedInChunk++;
		ItemTask task = new ItemTask(item);
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			this.inFlight--;
			this.run.notRun(item);
			this.executor.metrics().taskEnded(this.run.getName(), "not_run");
		}
	}

	private void logProgress() {
		if (System.nanoTime() - this.lastLog >= PROGRESS_NANOS && this.remaining.hasNext()) {
			logger.info(this.run.progress().toLogLine());
			this.lastLog = System.nanoTime();
		}
	}

	private void itemEnded() {
		this.lock.lock();
		try {
			this.inFlight--;
		}
		finally {
			this.lock.unlock();
		}
		pump();
	}

	/**
	 * One item on a worker: runs as {@link Workload#BACKGROUND}, with retries, its database
	 * steps under the run's pacing.
	 */
	final class ItemTask implements Runnable, ItemContext {

		private final T item;

		ItemTask(T item) {
			this.item = item;
		}

		@Override
		public void run() {
			try {
				Workload.BACKGROUND.run(this::attempt);
			}
			finally {
				itemEnded();
			}
		}

		@Override
		public <R> R database(java.util.concurrent.Callable<R> step) throws Exception {
			return RunDispatcher.this.pacing.database(step);
		}

		private void attempt() {
			BatchRun<T> run = RunDispatcher.this.run;
			BatchMetrics metrics = RunDispatcher.this.executor.metrics();
			try {
				RunDispatcher.this.retry.execute(() -> {
					RunDispatcher.this.handler.handle(this.item, this);
					return null;
				});
				run.succeeded();
				metrics.taskEnded(run.getName(), "success");
			}
			catch (RetryException ex) {
				if (RunDispatcher.this.executor.isForcedStop()) {
					run.notRun(this.item);
					metrics.taskEnded(run.getName(), "not_run");
				}
				else {
					run.failed(this.item, ex.getLastException(), ex.getExceptions().size());
					metrics.taskEnded(run.getName(), "failure");
				}
			}
		}

		/**
		 * Report the item as not run: the executor drained it from the queue at shutdown.
		 */
		void skip() {
			RunDispatcher.this.run.notRun(this.item);
			RunDispatcher.this.executor.metrics().taskEnded(RunDispatcher.this.run.getName(), "not_run");
			itemEnded();
		}

	}

}
