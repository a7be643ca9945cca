package io.github.poolguard.internal.springbatch;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.poolguard.batch.BatchMetrics;
import io.github.poolguard.pressure.PressureSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * What a Spring Batch chunk passes before its transaction begins: it waits while the
 * application is under pressure (at most {@code max-yield}, then it runs anyway), then takes one
 * of as many permits as the background pool has connections. Chunks beyond that wait here, in
 * order, for a chunk to end, instead of waiting for a connection inside the pool, where they
 * would time out (the multi-threaded step with more threads than connections). One gate serves
 * every step of the application, so two jobs at once share the pool's connections too.
 */
public final class ChunkGate {

	private static final Log logger = LogFactory.getLog(ChunkGate.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final int permits;

	private final Semaphore semaphore;

	private final PressureSource pressure;

	private final Duration maxYield;

	private final BatchMetrics metrics;

	private final AtomicInteger yielding = new AtomicInteger();

	private final AtomicInteger inUse = new AtomicInteger();

	private final AtomicInteger peak = new AtomicInteger();

	/**
	 * Create a gate.
	 * @param permits chunks that may hold a transaction at once, the background pool's maximum
	 * size
	 * @param pressure tells whether the application is under pressure now
	 * @param maxYield the longest a chunk waits for the pressure to end
	 * @param metrics counts the yields
	 */
	public ChunkGate(int permits, PressureSource pressure, Duration maxYield, BatchMetrics metrics) {
		Assert.isTrue(permits >= 1, "permits must be at least 1");
		this.permits = permits;
		this.semaphore = new Semaphore(permits, true);
		this.pressure = pressure;
		this.maxYield = maxYield;
		this.metrics = metrics;
	}

	/**
	 * Wait until the given step's next chunk may begin its transaction, and take a permit.
	 * @param step the step's name, for the log and the yield metric
	 * @throws InterruptedException when the thread is interrupted while it waits
	 */
	public void enter(String step) throws InterruptedException {
		yieldToApp(step);
		this.semaphore.acquire();
		this.peak.accumulateAndGet(this.inUse.incrementAndGet(), Math::max);
	}

	/**
	 * Give back the permit taken by {@link #enter(String)}: the chunk's transaction ended.
	 */
	public void leave() {
		this.inUse.decrementAndGet();
		this.semaphore.release();
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
	 * Return how many chunks may hold a transaction at once.
	 * @return the background pool's maximum size when the gate was made
	 */
	public int getPermits() {
		return this.permits;
	}

	/**
	 * Return how many chunks hold a transaction now.
	 * @return the permits taken
	 */
	public int getInUse() {
		return this.inUse.get();
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

}
