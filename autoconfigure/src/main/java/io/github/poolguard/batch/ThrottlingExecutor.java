package io.github.poolguard.batch;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.poolguard.pressure.PressureSource;
import io.github.poolguard.routing.Workload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.util.Assert;

/**
 * Runs batch work on the background pool without starving the application: at most
 * {@code max-concurrency} tasks at once, items taken in chunks with a pause between them,
 * transient database failures retried with backoff, a pause before each chunk while the
 * application is short of connections, progress lines, and a drain on shutdown that reports
 * what never ran.
 *
 * <p>
 * Two ways in: {@link #run(String, Collection, ItemHandler)} for "do this for each of these
 * items", and {@link #asTaskExecutor()} for Spring's {@link AsyncTaskExecutor} contract
 * ({@code @Async}, plain {@code submit}). Both share the same workers, so the limit holds for
 * everything. Every task runs as {@link Workload#BACKGROUND}.
 *
 * <p>
 * Backpressure: the {@code AsyncTaskExecutor} view queues at most {@code queue-capacity}
 * tasks and rejects more with a {@link TaskRejectedException} that says so. Batch runs never
 * queue more than their concurrency: their items are taken from the collection only as workers
 * free up, so a run of any size holds no more than a handful of tasks in memory.
 */
public class ThrottlingExecutor implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ThrottlingExecutor.class);

	private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

	private static final long POLL_MILLIS = 50;

	private static final int RECENT_RUNS = 20;

	private final BatchOptions defaults;

	private final int maxConcurrency;

	private final int queueCapacity;

	private final Duration shutdownGracePeriod;

	private final Supplier<List<PressureSource>> pressureSources;

	private final BatchMetrics metrics;

	private final ThreadPoolExecutor workers;

	private final Set<BatchRun<?>> activeRuns = ConcurrentHashMap.newKeySet();

	private final Deque<BatchRun<?>> recentRuns = new ArrayDeque<>();

	private final Set<Thread> dispatchers = ConcurrentHashMap.newKeySet();

	private final AsyncTaskExecutor taskExecutorView = new TaskExecutorView();

	private volatile @Nullable BatchClaims claims;

	private volatile Duration maxYield = Duration.ofSeconds(10);

	private volatile boolean accepting = true;

	private volatile boolean forcedStop;

	private volatile boolean running;

	/**
	 * Create an executor.
	 * @param defaults the options of runs that do not override them
	 * @param maxConcurrency most tasks running at once, across all runs and submitted tasks
	 * @param queueCapacity most tasks the {@code AsyncTaskExecutor} view queues
	 * @param shutdownGracePeriod how long in-flight tasks may finish at shutdown before they are
	 * interrupted
	 * @param pressureSources the signals batch runs yield to
	 * @param metrics where to record what happens
	 */
	public ThrottlingExecutor(BatchOptions defaults, int maxConcurrency, int queueCapacity,
			Duration shutdownGracePeriod, Supplier<List<PressureSource>> pressureSources, BatchMetrics metrics) {
		Assert.isTrue(maxConcurrency >= 1, "maxConcurrency must be at least 1");
		Assert.isTrue(queueCapacity >= 1, "queueCapacity must be at least 1");
		Assert.isTrue(defaults.concurrency() <= maxConcurrency, "default concurrency must not exceed maxConcurrency");
		this.defaults = defaults;
		this.maxConcurrency = maxConcurrency;
		this.queueCapacity = queueCapacity;
		this.shutdownGracePeriod = shutdownGracePeriod;
		this.pressureSources = pressureSources;
		this.metrics = metrics;
		AtomicInteger threads = new AtomicInteger();
		this.workers = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(queueCapacity), (task) -> {
					Thread thread = new Thread(task, "poolguard-batch-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.workers.prestartAllCoreThreads();
		this.running = true;
		metrics.bind(this);
	}

	/**
	 * Start a batch run over the items with the executor's default options.
	 * @param <T> the item type
	 * @param name the run's name, used in logs and metrics
	 * @param items the items, in order
	 * @param handler the work for one item
	 * @return a handle on the run
	 */
	public <T> BatchRun<T> run(String name, Collection<? extends T> items, ItemHandler<? super T> handler) {
		return run(name, items, this.defaults, handler);
	}

	/**
	 * Start a batch run over the items with options of its own.
	 * @param <T> the item type
	 * @param name the run's name, used in logs and metrics
	 * @param items the items, in order
	 * @param options the run's options; its concurrency may not exceed the executor's
	 * {@code max-concurrency}
	 * @param handler the work for one item
	 * @return a handle on the run
	 * @throws TaskRejectedException when the executor is shutting down
	 */
	public <T> BatchRun<T> run(String name, Collection<? extends T> items, BatchOptions options,
			ItemHandler<? super T> handler) {
		Assert.hasText(name, "name must not be empty");
		if (options.concurrency() > this.maxConcurrency) {
			throw new IllegalArgumentException("Batch run '" + name + "' asks for concurrency " + options.concurrency()
					+ " but the executor allows at most " + this.maxConcurrency + " (poolguard.batch.max-concurrency)");
		}
		if (!this.accepting) {
			throw new TaskRejectedException("Batch run '" + name + "' rejected: the application is shutting down");
		}
		List<T> snapshot = List.copyOf(items);
		BatchRun<T> run = new BatchRun<>(name, snapshot.size(), options);
		BatchClaims.BatchClaim claim = null;
		if (options.exclusive()) {
			claim = claim(run, snapshot);
			if (run.progress().state() == BatchState.SKIPPED) {
				return run;
			}
		}
		BatchClaims.BatchClaim heldClaim = claim;
		this.activeRuns.add(run);
		Thread dispatcher = new Thread(() -> dispatch(run, snapshot, handler, heldClaim),
				"poolguard-dispatch-" + name);
		dispatcher.setDaemon(true);
		this.dispatchers.add(dispatcher);
		logger.info(name + ": starting " + snapshot.size() + " items, " + options.concurrency() + " at a time in chunks of "
				+ options.chunkSize() + " with " + options.delayBetweenChunks().toMillis() + " ms between chunks");
		dispatcher.start();
		return run;
	}

	/**
	 * Set where exclusive runs claim their names. Without claims, an exclusive run runs like
	 * any other (an application that is not on PostgreSQL runs as one instance).
	 * @param claims the claims, or {@code null}
	 */
	public void setClaims(@Nullable BatchClaims claims) {
		this.claims = claims;
	}

	private <T> BatchClaims.@Nullable BatchClaim claim(BatchRun<T> run, List<T> items) {
		BatchClaims claims = this.claims;
		if (claims == null) {
			logger.info(run.getName() + ": exclusive, but no claim store is set up (the database is not"
					+ " PostgreSQL); running it here");
			return null;
		}
		BatchClaims.BatchClaim claim;
		try {
			claim = claims.tryClaim(run.getName());
		}
		catch (SQLException ex) {
			throw new TaskRejectedException("Batch run '" + run.getName() + "' is exclusive but its claim could not"
					+ " be asked for: " + ex.getMessage(), ex);
		}
		if (claim == null) {
			items.forEach(run::notRun);
			BatchReport<T> report = run.finish(BatchState.SKIPPED);
			logger.info(run.getName() + ": skipped, another instance of the application runs it now (exclusive run;"
					+ " " + report.notRun().size() + " items not run here)");
			remember(run);
		}
		return claim;
	}

	/**
	 * Set the longest a batch run pauses for the application before it runs one chunk anyway,
	 * so that a busy application slows batch work down but never stops it.
	 * @param maxYield the longest pause, 10 s unless set
	 */
	public void setMaxYield(Duration maxYield) {
		Assert.isTrue(maxYield.toMillis() > 0, "maxYield must be positive");
		this.maxYield = maxYield;
	}

	/**
	 * Return this executor as a Spring {@link AsyncTaskExecutor}, sharing its workers and limit.
	 * @return the task executor view
	 */
	public AsyncTaskExecutor asTaskExecutor() {
		return this.taskExecutorView;
	}

	/**
	 * Return the options runs use unless they set their own.
	 * @return the default options
	 */
	public BatchOptions getDefaults() {
		return this.defaults;
	}

	/**
	 * Return the most tasks that run at once.
	 * @return the concurrency limit
	 */
	public int getMaxConcurrency() {
		return this.maxConcurrency;
	}

	/**
	 * Return the tasks waiting for a worker.
	 * @return the queue length
	 */
	public int getQueuedCount() {
		return this.workers.getQueue().size();
	}

	/**
	 * Return the tasks running now.
	 * @return the active count
	 */
	public int getActiveCount() {
		return this.workers.getActiveCount();
	}

	/**
	 * Return the progress of the runs in flight and of the last few finished ones, newest first.
	 * @return the runs
	 */
	public List<BatchProgress> getRuns() {
		List<BatchProgress> runs = new ArrayList<>();
		this.activeRuns.forEach((run) -> runs.add(run.progress()));
		synchronized (this.recentRuns) {
			this.recentRuns.forEach((run) -> runs.add(run.progress()));
		}
		runs.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
		return runs;
	}

	private <T> void dispatch(BatchRun<T> run, List<T> items, ItemHandler<? super T> handler,
			BatchClaims.@Nullable BatchClaim claim) {
		BatchOptions options = run.getOptions();
		Semaphore slots = new Semaphore(options.concurrency());
		RetryTemplate retry = retryTemplate(run, options);
		Iterator<T> remaining = items.iterator();
		long lastLog = System.nanoTime();
		BatchState finalState = BatchState.COMPLETED;
		boolean lostClaim = false;
		try {
			while (remaining.hasNext()) {
				if (run.isCancelRequested() || !this.accepting) {
					break;
				}
				if (claim != null && !claim.isHeld()) {
					logger.warn(run.getName() + ": lost its exclusive claim (its session on the server ended), so"
							+ " another instance may run it now; stopping here, items not started are reported as"
							+ " not run");
					lostClaim = true;
					break;
				}
				if (options.yieldToApp() && !awaitNoPressure(run)) {
					break;
				}
				List<T> chunk = new ArrayList<>(options.chunkSize());
				while (remaining.hasNext() && chunk.size() < options.chunkSize()) {
					chunk.add(remaining.next());
				}
				CountDownLatch chunkDone = new CountDownLatch(chunk.size());
				for (T item : chunk) {
					slots.acquire();
					submit(new ItemTask<>(run, item, handler, retry, slots, chunkDone));
				}
				chunkDone.await();
				if (System.nanoTime() - lastLog >= PROGRESS_INTERVAL.toNanos() && remaining.hasNext()) {
					logger.info(run.progress().toLogLine());
					lastLog = System.nanoTime();
				}
				if (remaining.hasNext()) {
					pause(run, options.delayBetweenChunks());
				}
			}
			if (remaining.hasNext()) {
				finalState = (this.accepting && !lostClaim) ? BatchState.CANCELLED : BatchState.STOPPED;
				remaining.forEachRemaining(run::notRun);
			}
			else if (this.forcedStop || (!this.accepting && run.progress().notRun() > 0)) {
				// the drain took items of the last chunk from the queue: the run did not complete
				finalState = BatchState.STOPPED;
			}
			retire(run, claim);
			BatchReport<T> report = run.finish(finalState);
			logSummary(report);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			remaining.forEachRemaining(run::notRun);
			retire(run, claim);
			logSummary(run.finish(BatchState.STOPPED));
		}
		catch (RuntimeException | Error ex) {
			logger.error(run.getName() + ": the run broke down", ex);
			retire(run, claim);
			run.breakDown(ex);
		}
		finally {
			retire(run, claim);
			this.dispatchers.remove(Thread.currentThread());
		}
	}

	/**
	 * Move a run from the active to the recent ones and free its claim. Done before the run
	 * reports its end, so whoever waits for the report sees it among the recent runs and can
	 * claim the name again. Safe to call more than once.
	 */
	private void retire(BatchRun<?> run, BatchClaims.@Nullable BatchClaim claim) {
		if (claim != null) {
			claim.close();
		}
		if (this.activeRuns.remove(run)) {
			remember(run);
		}
	}

	private void remember(BatchRun<?> run) {
		synchronized (this.recentRuns) {
			this.recentRuns.addFirst(run);
			while (this.recentRuns.size() > RECENT_RUNS) {
				this.recentRuns.removeLast();
			}
		}
	}

	private void submit(ItemTask<?> task) throws InterruptedException {
		while (true) {
			if (!this.accepting) {
				task.skip();
				return;
			}
			try {
				this.workers.execute(task);
				return;
			}
			catch (RejectedExecutionException ex) {
				Thread.sleep(POLL_MILLIS);
			}
		}
	}

	private boolean awaitNoPressure(BatchRun<?> run) throws InterruptedException {
		String pressure = currentPressure();
		if (pressure == null) {
			return true;
		}
		long start = System.nanoTime();
		long deadline = start + this.maxYield.toNanos();
		run.yielding(true);
		this.metrics.yielded(run.getName());
		logger.warn(run.getName() + ": pausing before the next chunk: " + pressure);
		while (pressure != null) {
			if (run.isCancelRequested() || !this.accepting) {
				run.yielding(false);
				return false;
			}
			if (System.nanoTime() - deadline >= 0) {
				run.yielding(false);
				logger.warn(run.getName() + ": running one chunk after pausing for "
						+ BatchProgress.format(this.maxYield) + " (poolguard.batch.max-yield) although the pressure"
						+ " persists: " + pressure);
				return true;
			}
			Thread.sleep(POLL_MILLIS);
			pressure = currentPressure();
		}
		run.yielding(false);
		logger.info(run.getName() + ": resuming after pausing for "
				+ BatchProgress.format(Duration.ofNanos(System.nanoTime() - start)));
		return true;
	}

	private @Nullable String currentPressure() {
		for (PressureSource source : this.pressureSources.get()) {
			String pressure = source.currentPressure();
			if (pressure != null) {
				return pressure;
			}
		}
		return null;
	}

	private void pause(BatchRun<?> run, Duration delay) throws InterruptedException {
		long deadline = System.nanoTime() + delay.toNanos();
		while (!run.isCancelRequested() && this.accepting) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return;
			}
			TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
		}
	}

	private void logSummary(BatchReport<?> report) {
		for (ItemFailure<?> failure : report.failures()) {
			logger.warn(report.progress().name() + ": item " + failure.describe());
		}
		String summary = report.progress().toSummaryLine();
		if (report.notRun().isEmpty()) {
			logger.info(summary);
		}
		else {
			logger.warn(summary + "; items not run: " + abbreviate(report.notRun()));
		}
	}

	private static String abbreviate(List<?> items) {
		if (items.size() <= 20) {
			return items.toString();
		}
		return items.subList(0, 20) + " and " + (items.size() - 20) + " more";
	}

	private RetryTemplate retryTemplate(BatchRun<?> run, BatchOptions options) {
		RetryPolicy policy = RetryPolicy.builder()
			.maxRetries(options.maxAttempts() - 1)
			.delay(options.initialBackoff())
			.multiplier(2)
			.predicate(TransientFailures::isTransient)
			.build();
		RetryTemplate retry = new RetryTemplate(policy);
		retry.setRetryListener(new RetryListener() {

			@Override
			public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState retryState) {
				run.retried();
			}

		});
		return retry;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Stop taking work, let what is in flight finish within the grace period, then interrupt it.
	 * Queued tasks and items never started are reported as not run.
	 */
	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.accepting = false;
		// shut down before draining: from here on execute() rejects, so nothing slips into the queue
		this.workers.shutdown();
		List<Runnable> queued = new ArrayList<>();
		this.workers.getQueue().drainTo(queued);
		queued.forEach(this::skip);
		int inFlight = this.workers.getActiveCount();
		logger.info("PoolGuard batch executor stopping: " + inFlight + " task(s) in flight, " + queued.size()
				+ " queued task(s) will not run; waiting up to " + this.shutdownGracePeriod.toSeconds()
				+ " s for the ones in flight (poolguard.batch.shutdown-grace-period)");
		try {
			if (!this.workers.awaitTermination(this.shutdownGracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
				this.forcedStop = true;
				List<Runnable> left = this.workers.shutdownNow();
				left.forEach(this::skip);
				logger.warn("PoolGuard batch executor: grace period over, interrupted "
						+ this.workers.getActiveCount() + " task(s) still running; they are reported as not run");
				this.workers.awaitTermination(5, TimeUnit.SECONDS);
			}
			for (Thread dispatcher : List.copyOf(this.dispatchers)) {
				dispatcher.join(TimeUnit.SECONDS.toMillis(5));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.workers.shutdownNow();
		}
		this.running = false;
		logger.info("PoolGuard batch executor stopped");
	}

	private void skip(Runnable task) {
		if (task instanceof ItemTask<?> itemTask) {
			itemTask.skip();
		}
		else if (task instanceof AsyncTask asyncTask) {
			asyncTask.skip();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop the workers when the context is closed without having been started (a failed
	 * startup), where no lifecycle stop happens.
	 */
	@Override
	public void destroy() {
		stop();
	}

	/**
	 * Stop before anything else, in particular before the background pool closes and the web
	 * server drains.
	 * @return the highest phase
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	private final class ItemTask<T> implements Runnable {

		private final BatchRun<T> run;

		private final T item;

		private final ItemHandler<? super T> handler;

		private final RetryTemplate retry;

		private final Semaphore slots;

		private final CountDownLatch chunkDone;

		ItemTask(BatchRun<T> run, T item, ItemHandler<? super T> handler, RetryTemplate retry, Semaphore slots,
				CountDownLatch chunkDone) {
			this.run = run;
			this.item = item;
			this.handler = handler;
			this.retry = retry;
			this.slots = slots;
			this.chunkDone = chunkDone;
		}

		@Override
		public void run() {
			try {
				Workload.BACKGROUND.run(this::attempt);
			}
			finally {
				this.slots.release();
				this.chunkDone.countDown();
			}
		}

		private void attempt() {
			try {
				this.retry.execute(() -> {
					this.handler.handle(this.item);
					return null;
				});
				this.run.succeeded();
				ThrottlingExecutor.this.metrics.taskEnded(this.run.getName(), "success");
			}
			catch (RetryException ex) {
				if (ThrottlingExecutor.this.forcedStop) {
					this.run.notRun(this.item);
					ThrottlingExecutor.this.metrics.taskEnded(this.run.getName(), "not_run");
				}
				else {
					this.run.failed(this.item, ex.getLastException(), ex.getExceptions().size());
					ThrottlingExecutor.this.metrics.taskEnded(this.run.getName(), "failure");
				}
			}
		}

		void skip() {
			this.run.notRun(this.item);
			ThrottlingExecutor.this.metrics.taskEnded(this.run.getName(), "not_run");
			this.slots.release();
			this.chunkDone.countDown();
		}

	}

	private final class TaskExecutorView implements AsyncTaskExecutor {

		@Override
		public void execute(Runnable task) {
			if (!ThrottlingExecutor.this.accepting) {
				throw new TaskRejectedException("PoolGuard batch executor rejected a task: the application is shutting down");
			}
			try {
				ThrottlingExecutor.this.workers.execute(new AsyncTask(task));
			}
			catch (RejectedExecutionException ex) {
				throw new TaskRejectedException("PoolGuard batch executor rejected a task: " + getQueuedCount()
						+ " tasks are already waiting (poolguard.batch.queue-capacity=" + ThrottlingExecutor.this.queueCapacity
						+ ") for " + ThrottlingExecutor.this.maxConcurrency
						+ " workers (poolguard.batch.max-concurrency); slow the producer down or submit a batch run instead",
						ex);
			}
		}

	}

	private final class AsyncTask implements Runnable {

		private final Runnable task;

		AsyncTask(Runnable task) {
			this.task = task;
		}

		@Override
		public void run() {
			boolean failed = true;
			try {
				Workload.BACKGROUND.run(this.task);
				failed = failedInside(this.task);
			}
			finally {
				ThrottlingExecutor.this.metrics.taskEnded("async", failed ? "failure" : "success");
			}
		}

		void skip() {
			if (this.task instanceof Future<?> future) {
				future.cancel(false);
			}
			ThrottlingExecutor.this.metrics.taskEnded("async", "not_run");
		}

		private static boolean failedInside(Runnable task) {
			if (task instanceof Future<?> future && future.isDone() && !future.isCancelled()) {
				try {
					future.get();
				}
				catch (ExecutionException ex) {
					return true;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return false;
		}

	}

}
