package io.github.poolguard.batch;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.poolguard.internal.text.Formats;
import io.github.poolguard.pressure.PressureSource;
import io.github.poolguard.routing.Workload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.util.Assert;

/**
 * Runs batch work on the background pool without starving the application: at most
 * {@code max-concurrency} items in flight, their database steps limited separately (by the
 * background pool, and with adaptive pacing by a database limiter that follows the
 * server), transient database failures retried with backoff, yielding while the application is
 * short of connections, operator controls on each run, progress lines, and a drain on shutdown
 * that reports what never ran.
 *
 * <p>
 * Two ways in: {@link #run(String, Collection, PacedItemHandler)} (or with a plain
 * {@link ItemHandler}) for "do this for each of these items", and {@link #asTaskExecutor()} for
 * Spring's {@link AsyncTaskExecutor} contract ({@code @Async}, plain {@code submit}). Both share
 * the same workers. Every task runs as {@link Workload#BACKGROUND}. The parts: a
 * {@link RunDispatcher} per run (no thread of its own), a {@link ChunkPacing} policy per run,
 * the {@link Workers}, and the {@link TaskExecutorView}; this class is their lifecycle.
 *
 * <p>
 * The auto-configuration builds one from {@code poolguard.batch.*}; to build another, use
 * {@link #builder(BatchOptions)}: the executor is complete when built.
 */
public class ThrottlingExecutor implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ThrottlingExecutor.class);

	private final BatchOptions defaults;

	private final int maxConcurrency;

	private final Duration shutdownGracePeriod;

	private final Supplier<List<PressureSource>> pressureSources;

	private final BatchMetrics metrics;

	private final DatabaseLimiter databaseLimiter;

	private final Workers workers;

	// all a run's dispatcher sees of this executor
	private final RunCallbacks callbacks = new ExecutorRunCallbacks(this);

	private final TaskExecutorView taskExecutorView;

	private final RunRegistry runs = new RunRegistry();

	private final @Nullable BatchClaims claims;

	private volatile Duration maxYield;

	private volatile DoubleSupplier pace;

	private final Duration slowStart;

	private final LongSupplier slowStartClock;

	private final boolean slowStartWaits;

	private volatile boolean accepting = true;

	private volatile boolean forcedStop;

	private volatile boolean running;

	/**
	 * Create an executor whose database limiter allows at most {@code maxConcurrency} steps,
	 * without claims for exclusive runs, pausing at most 10 s for the application, at full pace:
	 * the same as {@link #builder(BatchOptions)} with these four values.
	 * @param defaults the options of runs that do not override them
	 * @param maxConcurrency most items and tasks in flight at once, across all runs
	 * @param queueCapacity most tasks the {@code AsyncTaskExecutor} view queues
	 * @param shutdownGracePeriod how long in-flight tasks may finish at shutdown before they are
	 * interrupted
	 * @param pressureSources the signals batch runs yield to
	 * @param metrics where to record what happens
	 */
	public ThrottlingExecutor(BatchOptions defaults, int maxConcurrency, int queueCapacity,
			Duration shutdownGracePeriod, Supplier<List<PressureSource>> pressureSources, BatchMetrics metrics) {
		this(builder(defaults).maxConcurrency(maxConcurrency)
			.queueCapacity(queueCapacity)
			.shutdownGracePeriod(shutdownGracePeriod)
			.pressureSources(pressureSources)
			.metrics(metrics));
	}

	private ThrottlingExecutor(Builder builder) {
		int maxConcurrency = (builder.maxConcurrency != null) ? builder.maxConcurrency
				: builder.defaults.concurrency();
		Assert.isTrue(maxConcurrency >= 1, "maxConcurrency must be at least 1");
		Assert.isTrue(builder.queueCapacity >= 1, "queueCapacity must be at least 1");
		Assert.isTrue(builder.defaults.concurrency() <= maxConcurrency,
				"default concurrency must not exceed maxConcurrency");
		this.defaults = builder.defaults;
		this.maxConcurrency = maxConcurrency;
		this.shutdownGracePeriod = builder.shutdownGracePeriod;
		this.pressureSources = builder.pressureSources;
		this.metrics = builder.metrics;
		this.claims = builder.claims;
		this.maxYield = builder.maxYield;
		this.pace = builder.pace;
		this.slowStart = builder.slowStart;
		this.slowStartClock = builder.slowStartClock;
		this.slowStartWaits = builder.slowStartWaits;
		this.databaseLimiter = new DatabaseLimiter(
				(builder.maxDatabaseSteps != null) ? builder.maxDatabaseSteps : maxConcurrency);
		this.databaseLimiter.setPace(builder.pace);
		this.workers = new Workers(maxConcurrency);
		this.taskExecutorView = new TaskExecutorView(this, builder.queueCapacity);
		this.running = true;
		this.metrics.bind(this);
	}

	/**
	 * Return how long an adaptive run that yields to the application takes to reach the pace
	 * from a fifth of it.
	 * @return the slow start; zero when runs start at the pace
	 */
	public Duration getSlowStart() {
		return this.slowStart;
	}

	/**
	 * Start building an executor: everything it needs is set on the builder, and the executor
	 * is complete when built.
	 * @param defaults the options of runs that do not override them
	 * @return the builder
	 */
	public static Builder builder(BatchOptions defaults) {
		return new Builder(defaults);
	}

	/**
	 * Start a batch run with the executor's default options; each item counts as database work
	 * from start to end.
	 * @param <T> the item type
	 * @param name the run's name, used in logs, metrics and the endpoint
	 * @param items the items, in order
	 * @param handler the work for one item
	 * @return a handle on the run
	 */
	public <T> BatchRun<T> run(String name, Collection<? extends T> items, ItemHandler<? super T> handler) {
		return run(name, items, this.defaults, handler);
	}

	/**
	 * Start a batch run with options of its own; each item counts as database work from start
	 * to end.
	 * @param <T> the item type
	 * @param name the run's name, used in logs, metrics and the endpoint
	 * @param items the items, in order
	 * @param options the run's options
	 * @param handler the work for one item
	 * @return a handle on the run
	 */
	public <T> BatchRun<T> run(String name, Collection<? extends T> items, BatchOptions options,
			ItemHandler<? super T> handler) {
		return run(name, items, options, (PacedItemHandler<T>) (item, context) -> context.database(() -> {
			handler.handle(item);
			return null;
		}));
	}

	/**
	 * Start a batch run with the executor's default options whose items mark their database
	 * steps.
	 * @param <T> the item type
	 * @param name the run's name, used in logs, metrics and the endpoint
	 * @param items the items, in order
	 * @param handler the work for one item
	 * @return a handle on the run
	 */
	public <T> BatchRun<T> run(String name, Collection<? extends T> items, PacedItemHandler<? super T> handler) {
		return run(name, items, this.defaults, handler);
	}

	/**
	 * Start a batch run with options of its own whose items mark their database steps.
	 * @param <T> the item type
	 * @param name the run's name, used in logs, metrics and the endpoint
	 * @param items the items, in order
	 * @param options the run's options; its concurrency may not exceed the executor's
	 * {@code max-concurrency}
	 * @param handler the work for one item
	 * @return a handle on the run
	 * @throws TaskRejectedException when the executor is shutting down
	 */
	public <T> BatchRun<T> run(String name, Collection<? extends T> items, BatchOptions options,
			PacedItemHandler<? super T> handler) {
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
		RunDispatcher<T> dispatcher = new RunDispatcher<>(this.callbacks, run, snapshot, handler, claim,
				ChunkPacing.of(options, this.databaseLimiter, this::getPace, this.slowStart,
						this.slowStartClock), ItemRetries.of(run, options));
		run.controlledBy(dispatcher::pump, this.maxConcurrency, dispatcher::itemsAllowed);
		this.runs.add(run, dispatcher);
		logger.info(name + ": starting " + snapshot.size() + " items, " + options.concurrency() + " at a time in chunks of "
				+ options.chunkSize() + ", " + describePacing(options));
		dispatcher.pump();
		return run;
	}

	private String describePacing(BatchOptions options) {
		if (options.pacing() == PacingMode.FIXED) {
			return "fixed pacing with " + options.delayBetweenChunks().toMillis() + " ms between chunks";
		}
		boolean slowStart = options.yieldToApp() && !this.slowStart.isZero();
		return "adaptive pacing (database steps up to " + this.databaseLimiter.getMax() + " at once, pauses from "
				+ options.delayBetweenChunks().toMillis() + " ms down to none while the application is unaffected"
				+ (slowStart ? ", starting at a fifth of the pace, all of it " + Formats.duration(this.slowStart) + " in"
						+ (this.slowStartWaits ? " while the application is within tolerance" : "") : "")
				+ ")";
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
			this.runs.remember(run);
		}
		return claim;
	}

	/**
	 * Set the longest a batch run pauses for the application before it runs one chunk anyway,
	 * so that a busy application slows batch work down but never stops it.
	 * @param maxYield the longest pause, 10 s unless set
	 * @deprecated since 0.1.0 for removal: set it when building, with
	 * {@link Builder#maxYield(Duration)}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setMaxYield(Duration maxYield) {
		Assert.isTrue(maxYield.toMillis() > 0, "maxYield must be positive");
		this.maxYield = maxYield;
	}

	/**
	 * Steer adaptive runs by the application's experience: the share of each run's concurrency
	 * and of the database limiter's maximum they may use now. Hard pressure (a
	 * {@code PressureSource}) still stops new items whatever the pace.
	 * @param pace the share, 0 to 1, read before each item; 1 (full pace) unless set
	 * @deprecated since 0.1.0 for removal: set it when building, with
	 * {@link Builder#pace(DoubleSupplier)}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setPace(DoubleSupplier pace) {
		this.pace = pace;
		this.databaseLimiter.setPace(pace);
	}

	/**
	 * Return the share of each adaptive run's concurrency and of the database limiter's maximum
	 * the application's experience allows now.
	 * @return the pace, 0 to 1
	 */
	public double getPace() {
		return this.pace.getAsDouble();
	}

	/**
	 * Return how many items an adaptive run at the executor's {@code max-concurrency} may have in
	 * flight now.
	 * @return the items allowed, at least 1
	 */
	public int getItemsAllowed() {
		return DatabaseLimiter.share(getPace(), this.maxConcurrency);
	}

	/**
	 * Return this executor as a Spring {@link AsyncTaskExecutor}, sharing its workers.
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
	 * Return the most items and tasks in flight at once.
	 * @return the concurrency limit
	 */
	public int getMaxConcurrency() {
		return this.maxConcurrency;
	}

	/**
	 * Return how many database steps adaptive runs may take at once now: the database limiter's
	 * limit, which follows the server's latency, capped by the pace.
	 * @return the current limit, between 1 and {@link #getMaxDatabaseSteps()}
	 */
	public int getDatabaseStepLimit() {
		return this.databaseLimiter.getLimit();
	}

	/**
	 * Return the most database steps adaptive runs ever take at once: the background pool's
	 * size when the auto-configuration builds the executor.
	 * @return the database limiter's maximum
	 */
	public int getMaxDatabaseSteps() {
		return this.databaseLimiter.getMax();
	}

	/**
	 * Return the database steps of adaptive runs running now.
	 * @return the steps in flight
	 */
	public int getDatabaseStepsInFlight() {
		return this.databaseLimiter.getInFlight();
	}

	/**
	 * Return the most database steps of adaptive runs that ran at once since the executor was
	 * built.
	 * @return the peak
	 */
	public int getPeakDatabaseStepsInFlight() {
		return this.databaseLimiter.getPeakInFlight();
	}

	DatabaseLimiter databaseLimiter() {
		return this.databaseLimiter;
	}

	/**
	 * Return the tasks waiting for a worker.
	 * @return the queue length
	 */
	public int getQueuedCount() {
		return this.workers.queued();
	}

	/**
	 * Return the tasks running now.
	 * @return the active count
	 */
	public int getActiveCount() {
		return this.workers.active();
	}

	/**
	 * Return the progress of the runs in flight and of the last few finished ones, newest first.
	 * @return the runs
	 */
	public List<BatchProgress> getRuns() {
		return this.runs.progress();
	}

	/**
	 * Return the run in flight with the given name, the newest if several.
	 * @param name the run's name
	 * @return the run, or {@code null} when none of that name is in flight
	 */
	public @Nullable BatchRun<?> findActiveRun(String name) {
		return this.runs.findActive(name);
	}

	@Nullable String currentPressure() {
		for (PressureSource source : this.pressureSources.get()) {
			String pressure = source.currentPressure();
			if (pressure != null) {
				return pressure;
			}
		}
		return null;
	}

	boolean isAccepting() {
		return this.accepting;
	}

	boolean isForcedStop() {
		return this.forcedStop;
	}

	Duration getMaxYield() {
		return this.maxYield;
	}

	<T> void finish(BatchRun<T> run, BatchState state, BatchClaims.@Nullable BatchClaim claim) {
		this.runs.finish(run, state, claim);
	}

	BatchMetrics metrics() {
		return this.metrics;
	}

	Workers workers() {
		return this.workers;
	}

	/**
	 * Take work again after a {@link #stop()} (a context restart); a no-op while running.
	 */
	@Override
	public void start() {
		if (this.running) {
			return;
		}
		this.workers.start();
		this.forcedStop = false;
		this.accepting = true;
		this.running = true;
		logger.info("PoolGuard batch executor started again");
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
		List<Runnable> queued = this.workers.shutdown();
		queued.forEach(this::skip);
		int inFlight = this.workers.active();
		logger.info("PoolGuard batch executor stopping: " + inFlight + " task(s) in flight, " + queued.size()
				+ " queued task(s) will not run; waiting up to " + this.shutdownGracePeriod.toSeconds()
				+ " s for the ones in flight (poolguard.batch.shutdown-grace-period)");
		try {
			if (!this.workers.awaitTermination(this.shutdownGracePeriod)) {
				this.forcedStop = true;
				List<Runnable> left = this.workers.shutdownNow();
				left.forEach(this::skip);
				logger.warn("PoolGuard batch executor: grace period over, interrupted " + this.workers.active()
						+ " task(s) still running; they are reported as not run");
				this.workers.awaitTermination(Duration.ofSeconds(5));
			}
			awaitRunsEnded();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.workers.shutdownNow();
		}
		this.workers.stopTimer();
		this.running = false;
		logger.info("PoolGuard batch executor stopped");
	}

	// runs waiting on a timer (a pause, a yield) end when woken: wake them now
	private void awaitRunsEnded() throws InterruptedException {
		for (Map.Entry<BatchRun<?>, RunDispatcher<?>> entry : List.copyOf(this.runs.active().entrySet())) {
			entry.getValue().pump();
			try {
				entry.getKey().completion().get(5, TimeUnit.SECONDS);
			}
			catch (TimeoutException | java.util.concurrent.ExecutionException ex) {
				logger.warn(entry.getKey().getName() + ": did not end within 5 s of the executor stopping");
			}
		}
	}

	private void skip(Runnable task) {
		if (task instanceof RunDispatcher<?>.ItemTask itemTask) {
			itemTask.skip();
		}
		else if (task instanceof TaskExecutorView.AsyncTask asyncTask) {
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

	/**
	 * Builds a {@link ThrottlingExecutor}. Unless set: {@code maxConcurrency} is the defaults'
	 * concurrency, the queue holds 1000 tasks, in-flight tasks get 30 s at shutdown, no pressure
	 * source, no metrics, at most {@code maxConcurrency} database steps at once, no claims (an
	 * exclusive run runs like any other), pauses of at most 10 s, full pace, no slow start.
	 */
	public static final class Builder {

		private final BatchOptions defaults;

		private @Nullable Integer maxConcurrency;

		private int queueCapacity = 1000;

		private Duration shutdownGracePeriod = Duration.ofSeconds(30);

		private Supplier<List<PressureSource>> pressureSources = List::of;

		private BatchMetrics metrics = BatchMetrics.NONE;

		private @Nullable Integer maxDatabaseSteps;

		private @Nullable BatchClaims claims;

		private Duration maxYield = Duration.ofSeconds(10);

		private DoubleSupplier pace = () -> 1.0;

		private Duration slowStart = Duration.ZERO;

		private LongSupplier slowStartClock = System::nanoTime;

		private boolean slowStartWaits;

		private Builder(BatchOptions defaults) {
			Assert.notNull(defaults, "defaults must not be null");
			this.defaults = defaults;
		}

		/**
		 * Set the most items and tasks in flight at once, across all runs.
		 * @param maxConcurrency at least 1, and at least the defaults' concurrency
		 * @return this builder
		 */
		public Builder maxConcurrency(int maxConcurrency) {
			this.maxConcurrency = maxConcurrency;
			return this;
		}

		/**
		 * Set the most tasks the {@code AsyncTaskExecutor} view queues.
		 * @param queueCapacity at least 1
		 * @return this builder
		 */
		public Builder queueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
			return this;
		}

		/**
		 * Set how long in-flight tasks may finish at shutdown before they are interrupted.
		 * @param shutdownGracePeriod the grace period
		 * @return this builder
		 */
		public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
			Assert.notNull(shutdownGracePeriod, "shutdownGracePeriod must not be null");
			this.shutdownGracePeriod = shutdownGracePeriod;
			return this;
		}

		/**
		 * Set the signals batch runs yield to, read when first needed.
		 * @param pressureSources supplies the pressure sources
		 * @return this builder
		 */
		public Builder pressureSources(Supplier<List<PressureSource>> pressureSources) {
			Assert.notNull(pressureSources, "pressureSources must not be null");
			this.pressureSources = pressureSources;
			return this;
		}

		/**
		 * Set where to record what happens.
		 * @param metrics the metrics
		 * @return this builder
		 */
		public Builder metrics(BatchMetrics metrics) {
			Assert.notNull(metrics, "metrics must not be null");
			this.metrics = metrics;
			return this;
		}

		/**
		 * Set the most database steps adaptive runs take at once, across all of them: the
		 * background pool's size, so that a step never waits for a connection.
		 * @param maxDatabaseSteps at least 1
		 * @return this builder
		 */
		public Builder maxDatabaseSteps(int maxDatabaseSteps) {
			Assert.isTrue(maxDatabaseSteps >= 1, "maxDatabaseSteps must be at least 1");
			this.maxDatabaseSteps = maxDatabaseSteps;
			return this;
		}

		/**
		 * Set where exclusive runs claim their names. Without claims, an exclusive run runs like
		 * any other (an application that is not on PostgreSQL runs as one instance).
		 * @param claims the claims, or {@code null}
		 * @return this builder
		 */
		public Builder claims(@Nullable BatchClaims claims) {
			this.claims = claims;
			return this;
		}

		/**
		 * Set the longest a batch run pauses for the application before it runs one chunk
		 * anyway, so that a busy application slows batch work down but never stops it.
		 * @param maxYield the longest pause, positive
		 * @return this builder
		 */
		public Builder maxYield(Duration maxYield) {
			Assert.isTrue(maxYield.toMillis() > 0, "maxYield must be positive");
			this.maxYield = maxYield;
			return this;
		}

		/**
		 * Steer adaptive runs by the application's experience: the share of each run's
		 * concurrency and of the database steps they may use now. Hard pressure (a
		 * {@code PressureSource}) still stops new items whatever the pace.
		 * @param pace the share, 0 to 1, read before each item and each database step
		 * @return this builder
		 */
		public Builder pace(DoubleSupplier pace) {
			Assert.notNull(pace, "pace must not be null");
			this.pace = pace;
			return this;
		}

		/**
		 * Start each adaptive run that yields to the application at a fifth of the pace, and
		 * let it reach the whole pace this long after it starts ({@code 0.2 + 0.8 × t /
		 * slowStart}; the pace wins when lower): the application's experience is read once a
		 * second and acted on from the median of three, so a run that starts at full
		 * concurrency has its first seconds unwatched. Zero (unless set) starts runs at the
		 * pace.
		 * @param slowStart the ramp-up, zero or positive
		 * @return this builder
		 */
		public Builder slowStart(Duration slowStart) {
			return slowStart(slowStart, System::nanoTime, false);
		}

		/**
		 * Start each adaptive run that yields to the application slowly, as
		 * {@link #slowStart(Duration)}, its ramp advancing on the given clock instead of the
		 * time: PoolGuard's latency pacing gives one that stops while the application is past
		 * tolerance, so that a run's ramp waits where the app is hurt instead of running into it.
		 * A run's start line says its ramp counts the time the application is within tolerance.
		 * @param slowStart the ramp-up, zero or positive, on the clock's time
		 * @param clock nanoseconds, read when a run starts and before each of its items
		 * @return this builder
		 */
		public Builder slowStart(Duration slowStart, LongSupplier clock) {
			Assert.notNull(clock, "clock must not be null");
			return slowStart(slowStart, clock, true);
		}

		private Builder slowStart(Duration slowStart, LongSupplier clock, boolean waits) {
			Assert.isTrue(slowStart != null && !slowStart.isNegative(), "slowStart must not be negative");
			this.slowStart = slowStart;
			this.slowStartClock = clock;
			this.slowStartWaits = waits;
			return this;
		}

		/**
		 * Build the executor; its workers start at once.
		 * @return the executor
		 */
		public ThrottlingExecutor build() {
			return new ThrottlingExecutor(this);
		}

	}

}
