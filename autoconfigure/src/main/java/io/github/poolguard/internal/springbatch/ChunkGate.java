package io.github.poolguard.internal.springbatch;

import io.github.poolguard.internal.pacing.DutyCycle;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

import io.github.poolguard.batch.BatchMetrics;
import io.github.poolguard.internal.routing.BackgroundHolds;
import io.github.poolguard.pressure.PressureSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What a Spring Batch chunk passes before its transaction begins: it waits while the
 * application is under pressure (at most {@code max-yield}, then it runs anyway), then takes one
 * of the permits the background pool has room for now. Chunks beyond that wait here, in order,
 * for a chunk to end, instead of waiting for a connection inside the pool, where they would time
 * out (the multi-threaded step with more threads than connections). One gate serves every step
 * of the application, so two jobs at once share the pool's connections too.
 *
 * <p>
 * The permits are the pool's <em>live</em> maximum (the fleet resizes it at run time) less the
 * background connections the running steps hold outside their chunks: a cursor reader keeps one
 * from the step's open to its close while every chunk's transaction needs another. A chunk whose
 * own step holds every connection the pool may have outside its chunks could only wait for
 * itself: it is refused at once with a {@link StepCannotRunException} that names the setting, and
 * the connections its step holds are closed, so that Spring Batch can record the failure (its
 * job repository writes the step's status on the background pool before the step's readers
 * close). Steps whose readers together take the whole pool while all of them wait here are a
 * deadlock too: the first of them in line is refused the same way so that the others go on.
 *
 * <p>
 * Latency pacing reaches a chunk two ways: a hold (the app far past its tolerance) is pressure
 * like any other, and below full pace a chunk pauses in proportion ({@link #setPace}).
 */
public final class ChunkGate {

	private static final Log logger = LogFactory.getLog(ChunkGate.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	// half the app-experience window: a steered step moves in every window; only a hold stops it

	private final IntSupplier maximum;

	private final BackgroundHolds holds;

	private final PressureSource pressure;

	private final Duration maxYield;

	private final BatchMetrics metrics;

	private final AtomicInteger yielding = new AtomicInteger();

	private volatile DoubleSupplier pace = () -> 1.0;

	// per chunk thread: when it last resumed after a steered pause
	private final ThreadLocal<long[]> resumedAt = ThreadLocal.withInitial(() -> new long[] { System.nanoTime() });

	private final AtomicInteger peak = new AtomicInteger();

	// never held around I/O: the connections a refused step holds are closed after it is released
	private final ReentrantLock lock = new ReentrantLock();

	// signalled when a chunk ends, a step starts or ends, or a waiter leaves the line; the
	// waiters also look again every POLL_NANOS, for what changes without a signal (the pool's
	// maximum, a connection a step closes outside a chunk)
	private final Condition changed = this.lock.newCondition();

	private final Deque<Waiter> waiting = new ArrayDeque<>();

	private final List<Permit> permits = new ArrayList<>();

	// a running step execution (by identity) and the connections of the thread it runs on
	private final Map<Object, BackgroundHolds.Holder> steps = new IdentityHashMap<>();

	/**
	 * Create a gate with a fixed number of permits that sees no connections held outside
	 * chunks.
	 * @param permits chunks that may hold a transaction at once
	 * @param pressure tells whether the application is under pressure now
	 * @param maxYield the longest a chunk waits for the pressure to end
	 * @param metrics counts the yields
	 */
	public ChunkGate(int permits, PressureSource pressure, Duration maxYield, BatchMetrics metrics) {
		this(() -> permits, new BackgroundHolds(), pressure, maxYield, metrics);
		Assert.isTrue(permits >= 1, "permits must be at least 1");
	}

	/**
	 * Create a gate.
	 * @param maximum the background pool's maximum size now, asked whenever a chunk waits
	 * @param holds the background connections each thread holds
	 * @param pressure tells whether the application is under pressure now
	 * @param maxYield the longest a chunk waits for the pressure to end
	 * @param metrics counts the yields
	 */
	public ChunkGate(IntSupplier maximum, BackgroundHolds holds, PressureSource pressure, Duration maxYield,
			BatchMetrics metrics) {
		this.maximum = maximum;
		this.holds = holds;
		this.pressure = pressure;
		this.maxYield = maxYield;
		this.metrics = metrics;
	}

	/**
	 * Note that a step execution starts on the calling thread, so that the connections the
	 * thread holds outside the step's chunks count against the permits until
	 * {@link #stepEnded(Object)}.
	 * @param execution the step execution
	 */
	public void stepStarted(Object execution) {
		BackgroundHolds.Holder holder = this.holds.current();
		this.lock.lock();
		try {
			this.steps.put(execution, holder);
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Note that a step execution ended.
	 * @param execution the step execution
	 */
	public void stepEnded(Object execution) {
		this.lock.lock();
		try {
			if (this.steps.remove(execution) != null) {
				this.changed.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Refuse, at once, a background borrow that could only wait for the borrowing thread itself:
	 * it holds every connection the background pool may have now, so none can come back while
	 * it waits, and the pool would time out after its {@code connection-timeout}. On the thread
	 * of a running Spring Batch step (whose cursor reader holds a connection while the step's
	 * repository writes its execution context) the step's connections are closed too, so that
	 * Spring Batch can record the failure instead of leaving the execution UNKNOWN.
	 * @param holder what the borrowing thread holds
	 * @throws SQLException when the borrow could only wait for itself
	 */
	public void beforeBorrow(BackgroundHolds.Holder holder) throws SQLException {
		int max = this.maximum.getAsInt();
		int held = holder.count();
		if (held < max) {
			return;
		}
		boolean step;
		this.lock.lock();
		try {
			step = this.steps.containsValue(holder);
		}
		finally {
			this.lock.unlock();
		}
		String message = "PoolGuard: this thread holds all " + held + " connection(s) the background pool may have now"
				+ " and asks for another, which only it could give back: it would wait for itself until the pool's"
				+ " connection-timeout. Give the background pool at least " + (held + 1) + " connections"
				+ " (poolguard.background.hikari.maximum-pool-size, or, where the fleet shares the server,"
				+ " poolguard.fleet.min-app-pool and the server's max_connections).";
		if (step) {
			message += " PoolGuard closed the " + holder.release() + " connection(s) the Spring Batch step held, so that"
					+ " Spring Batch can record the failure.";
		}
		logger.error(message);
		throw new SQLNonTransientConnectionException(message, "08004");
	}

	/**
	 * Wait until a chunk may begin its transaction, and take a permit.
	 * @param step the step's name, for the log and the yield metric
	 * @return the permit, to be closed when the chunk's transaction ends
	 * @throws InterruptedException when the thread is interrupted while it waits
	 * @throws StepCannotRunException when the step cannot run in what the pool gives
	 */
	public Permit enter(String step) throws InterruptedException {
		return enter(step, null);
	}

	/**
	 * Wait until the given step execution's next chunk may begin its transaction, and take a
	 * permit.
	 * @param step the step's name, for the log, the yield metric and a refusal
	 * @param execution the step execution the chunk belongs to, when known, so that what its
	 * step's own thread holds counts against it even when the chunk runs on another thread
	 * @return the permit, to be closed when the chunk's transaction ends
	 * @throws InterruptedException when the thread is interrupted while it waits
	 * @throws StepCannotRunException when the step cannot run in what the pool gives
	 */
	public Permit enter(String step, @Nullable Object execution) throws InterruptedException {
		yieldToApp(step);
		pauseForPace();
		Waiter waiter;
		String refusal;
		this.lock.lock();
		try {
			BackgroundHolds.Holder stepHolder = (execution != null) ? this.steps.get(execution) : null;
			waiter = new Waiter(this.holds.current(), stepHolder);
			this.waiting.addLast(waiter);
			try {
				refusal = await(step, waiter);
			}
			finally {
				this.waiting.remove(waiter);
				this.changed.signalAll();
			}
			if (refusal == null) {
				Permit permit = new Permit(waiter.holder, waiter.holder.count());
				this.permits.add(permit);
				this.peak.accumulateAndGet(this.permits.size(), Math::max);
				return permit;
			}
		}
		finally {
			this.lock.unlock();
		}
		// outside the lock: closing a connection is I/O
		int released = waiter.holder.release();
		if (waiter.stepHolder != null && waiter.stepHolder != waiter.holder) {
			released += waiter.stepHolder.release();
		}
		String message = refusal + " PoolGuard closed the " + released + " connection(s) the step held, so that"
				+ " Spring Batch can record the failure.";
		logger.error(message);
		throw new StepCannotRunException(message);
	}

	// the reason the waiter is refused, or null once it may take a permit; under the lock
	private @Nullable String await(String step, Waiter waiter) throws InterruptedException {
		while (true) {
			int max = this.maximum.getAsInt();
			Map<BackgroundHolds.Holder, Integer> outside = outside();
			int held = sum(outside);
			int own = outside.getOrDefault(waiter.holder, 0);
			if (waiter.stepHolder != null && waiter.stepHolder != waiter.holder) {
				own += outside.getOrDefault(waiter.stepHolder, 0);
			}
			if (own >= max) {
				return "Spring Batch step '" + step + "' cannot run in the background pool: the pool may have "
						+ max + " connection(s) now (poolguard.background.hikari.maximum-pool-size, or less where"
						+ " the fleet shares the server: poolguard.fleet.min-app-pool and the server's"
						+ " max_connections), the step holds " + own + " outside its chunks (a cursor reader keeps"
						+ " one for the whole step) and each chunk's transaction needs 1 more: " + max + " - " + own
						+ " = " + (max - own) + " for its chunks. Give the background pool at least " + (own + 1)
						+ " connections.";
			}
			boolean first = this.waiting.peekFirst() == waiter;
			if (first && this.permits.size() + held < max) {
				return null;
			}
			if (first && this.permits.isEmpty() && held >= max && everyHolderWaits(outside)) {
				return "Spring Batch step '" + step + "' cannot run in the background pool now: the steps running"
						+ " at once hold all " + held + " of its " + max + " connection(s) outside their chunks"
						+ " (cursor readers keep one for the whole step) and every one of them waits here for"
						+ " another (poolguard.background.hikari.maximum-pool-size, or less where the fleet shares"
						+ " the server: poolguard.fleet.min-app-pool and the server's max_connections). Run these"
						+ " steps one after another or give the background pool more connections; this one fails so"
						+ " that the others can go on.";
			}
			this.changed.awaitNanos(POLL_NANOS);
		}
	}

	// What each thread the gate knows holds outside a chunk: a thread in a chunk counts what it
	// held when the chunk began (the chunk's own connection is its permit), a step's thread or a
	// waiting thread what it holds now.
	private Map<BackgroundHolds.Holder, Integer> outside() {
		Map<BackgroundHolds.Holder, Integer> outside = new IdentityHashMap<>();
		for (Permit permit : this.permits) {
			outside.merge(permit.holder, permit.heldBefore, Math::min);
		}
		for (BackgroundHolds.Holder holder : this.steps.values()) {
			outside.putIfAbsent(holder, holder.count());
		}
		for (Waiter waiter : this.waiting) {
			outside.putIfAbsent(waiter.holder, waiter.holder.count());
		}
		return outside;
	}

	private static int sum(Map<BackgroundHolds.Holder, Integer> outside) {
		return outside.values().stream().mapToInt(Integer::intValue).sum();
	}

	// whether every thread holding connections outside a chunk is waiting here, itself or
	// through a chunk of its step: then nothing is given back before one of them is refused
	private boolean everyHolderWaits(Map<BackgroundHolds.Holder, Integer> outside) {
		for (Map.Entry<BackgroundHolds.Holder, Integer> entry : outside.entrySet()) {
			if (entry.getValue() > 0 && this.waiting.stream()
				.noneMatch((waiter) -> waiter.holder == entry.getKey() || waiter.stepHolder == entry.getKey())) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Steer chunks by the application's experience, as the executor's adaptive runs are: below
	 * full pace {@code p}, a chunk pauses before it takes its permit so that its thread runs
	 * {@code p} of the time ({@link DutyCycle}: {@code active × (1 / p − 1)}, where {@code active}
	 * is how long the thread went since its last pause; at most half a second). The permits
	 * themselves stay the pool's: fewer of them could refuse a step whose reader holds
	 * connections outside its chunks.
	 * @param pace the share of its pace batch work may use now, 0 to 1
	 */
	public void setPace(DoubleSupplier pace) {
		this.pace = pace;
	}

	private void pauseForPace() throws InterruptedException {
		long[] resumed = this.resumedAt.get();
		long now = System.nanoTime();
		Duration pause = DutyCycle.pause(this.pace.getAsDouble(), 1.0, Duration.ofNanos(now - resumed[0]));
		resumed[0] = now + pause.toNanos();
		if (!pause.isZero()) {
			// no lock is held here: a virtual thread parks without pinning its carrier
			TimeUnit.NANOSECONDS.sleep(pause.toNanos());
		}
	}

	private void yieldToApp(String step) throws InterruptedException {
		String reason = this.pressure.currentPressure();
		if (reason == null) {
			return;
		}
		this.metrics.yielded(step);
		if (this.yielding.getAndIncrement() == 0) {
			logger.info(step + ": pausing before the next chunk: " + reason);
		}
		long start = System.nanoTime();
		try {
			while (reason != null && System.nanoTime() - start < this.maxYield.toNanos()) {
				TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
				reason = this.pressure.currentPressure();
			}
		}
		finally {
			if (this.yielding.decrementAndGet() == 0) {
				if (reason != null) {
					logger.warn(step + ": running a chunk after pausing for " + this.maxYield.toMillis()
							+ " ms (poolguard.batch.max-yield) although the pressure persists: " + reason);
				}
				else {
					logger.info(step + ": resuming after the pressure ended");
				}
			}
		}
	}

	/**
	 * Return how many chunks may hold a transaction at once now: the background pool's live
	 * maximum less what the running steps hold outside their chunks.
	 * @return the permits now, never negative
	 */
	public int getPermits() {
		this.lock.lock();
		try {
			return Math.max(0, this.maximum.getAsInt() - sum(outside()));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how many chunks hold a transaction now.
	 * @return the permits taken
	 */
	public int getInUse() {
		this.lock.lock();
		try {
			return this.permits.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return how many chunks wait in line for a permit now.
	 * @return the chunks waiting
	 */
	public int getWaiting() {
		this.lock.lock();
		try {
			return this.waiting.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the most chunks that held a transaction at once.
	 * @return the peak
	 */
	public int getPeakInUse() {
		return this.peak.get();
	}

	/**
	 * Return whether some chunk is waiting for the application's pressure to end.
	 * @return {@code true} while a chunk yields
	 */
	public boolean isYielding() {
		return this.yielding.get() > 0;
	}

	/**
	 * A chunk's permit: closing it lets the next chunk in.
	 */
	public final class Permit implements AutoCloseable {

		private final BackgroundHolds.Holder holder;

		private final int heldBefore;

		private boolean closed;

		Permit(BackgroundHolds.Holder holder, int heldBefore) {
			this.holder = holder;
			this.heldBefore = heldBefore;
		}

		/**
		 * Give the permit back: the chunk's transaction ended.
		 */
		@Override
		public void close() {
			ChunkGate.this.lock.lock();
			try {
				if (!this.closed) {
					this.closed = true;
					ChunkGate.this.permits.remove(this);
					ChunkGate.this.changed.signalAll();
				}
			}
			finally {
				ChunkGate.this.lock.unlock();
			}
		}

	}

	/**
	 * A chunk waiting in line: its thread's connections and those of its step's thread.
	 */
	private static final class Waiter {

		private final BackgroundHolds.Holder holder;

		private final BackgroundHolds.@Nullable Holder stepHolder;

		Waiter(BackgroundHolds.Holder holder, BackgroundHolds.@Nullable Holder stepHolder) {
			this.holder = holder;
			this.stepHolder = stepHolder;
		}

	}

}
