package io.github.poolguard.batch;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import org.springframework.util.Assert;

/**
 * Bounds how many batch items talk to the database at once, and adapts that bound to the
 * server: Netflix's Gradient2 algorithm raises it while the batch's own database steps keep
 * their usual latency and lowers it when they slow down (the server queues), and
 * {@link #backOff()} drops it to one at once when the application starts to wait. The bound
 * never exceeds {@code max}, the background pool's size, so a permit always has a connection
 * behind it. It starts at half of {@code max} (rounded up). The application's pace
 * ({@link #setPace(DoubleSupplier)}, 0 to 1) caps it too: at most that share of {@code max},
 * at least one permit.
 */
final class DatabaseLimiter {

	// a pace that grows changes nothing the waiters are signalled for: they look again this often
	private static final long PACE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final int max;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition released = this.lock.newCondition();

	private volatile DoubleSupplier pace = () -> 1.0;

	private final AtomicInteger peak = new AtomicInteger();

	private volatile Limit limit;

	private volatile boolean heldDown;

	private int inFlight;

	/**
	 * Create a limiter that starts at half its maximum.
	 * @param max the most permits it ever grants, the background pool's maximum size
	 */
	public DatabaseLimiter(int max) {
		Assert.isTrue(max >= 1, "max must be at least 1");
		this.max = max;
		this.limit = newLimit((max + 1) / 2);
	}

	private Limit newLimit(int initial) {
		Gradient2Limit limit = Gradient2Limit.newBuilder()
			.initialLimit(initial)
			.minLimit(1)
			.maxConcurrency(this.max)
			// growth per quiet step; with 1 the limit can fall to 2 (half of est + 1) on latency alone
			.queueSizeFunction((estimate) -> 1)
			.build();
		limit.notifyOnChange((newLimit) -> signal());
		return limit;
	}

	/**
	 * Run a database step under a permit, waiting for one while the limit is reached, and
	 * feed its latency to the algorithm.
	 * @param <R> the result type
	 * @param step the step
	 * @return what it returns
	 * @throws Exception what it throws
	 */
	public <R> R call(Callable<R> step) throws Exception {
		int inFlightNow = acquire();
		Limit sampled = this.limit;
		long start = System.nanoTime();
		boolean dropped = false;
		try {
			return step.call();
		}
		catch (Exception ex) {
			dropped = TransientFailures.isTransient(ex);
			throw ex;
		}
		finally {
			// steps that began before a back-off, or run while the application waits, must not grow the limit
			if (sampled == this.limit && !this.heldDown) {
				sampled.onSample(start, System.nanoTime() - start, inFlightNow, dropped);
			}
			release();
		}
	}

	private int acquire() throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			while (this.inFlight >= getLimit()) {
				this.released.awaitNanos(PACE_POLL_NANOS);
			}
			this.inFlight++;
			this.peak.accumulateAndGet(this.inFlight, Math::max);
			return this.inFlight;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void release() {
		this.lock.lock();
		try {
			this.inFlight--;
			this.released.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void signal() {
		if (this.lock.tryLock()) {
			try {
				this.released.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Drop the limit to one permit at once, as the application has started to wait, and hold
	 * it there until {@link #recover()}. Steps in flight finish.
	 */
	public void backOff() {
		this.heldDown = true;
		this.limit = newLimit(1);
	}

	/**
	 * Let the algorithm grow the limit again from one, as the application no longer waits.
	 */
	public void recover() {
		this.heldDown = false;
	}

	/**
	 * Cap the limit at a share of the maximum: the pace the application's experience allows
	 * batch work now.
	 * @param pace the share, 0 to 1, read before every step
	 */
	public void setPace(DoubleSupplier pace) {
		this.pace = pace;
	}

	/**
	 * Return how many database steps may run at once now: the algorithm's limit, capped by the
	 * pace.
	 * @return the current limit, between 1 and the maximum
	 */
	public int getLimit() {
		return Math.min(this.limit.getLimit(), getPaceLimit());
	}

	/**
	 * Return how many database steps the application's pace allows at once now, whatever the
	 * algorithm's limit.
	 * @return the pace's share of the maximum, at least 1
	 */
	public int getPaceLimit() {
		return share(this.pace.getAsDouble(), this.max);
	}

	/**
	 * Return a share of a count: rounded up, at least one, at most the count.
	 * @param share the share, 0 to 1
	 * @param count the count
	 * @return the share of it
	 */
	public static int share(double share, int count) {
		double clamped = Double.isNaN(share) ? 1.0 : Math.max(0.0, Math.min(1.0, share));
		return Math.max(1, Math.min(count, (int) Math.ceil(clamped * count - 1e-9)));
	}

	/**
	 * Return the most permits the limiter grants.
	 * @return the background pool's size
	 */
	public int getMax() {
		return this.max;
	}

	/**
	 * Return the database steps running now.
	 * @return the permits held
	 */
	public int getInFlight() {
		this.lock.lock();
		try {
			return this.inFlight;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Return the most database steps that ran at once since the limiter was created.
	 * @return the peak
	 */
	public int getPeakInFlight() {
		return this.peak.get();
	}

}
