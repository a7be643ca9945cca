package io.github.poolguard.internal.leak;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.housekeeping.PeriodicWork;

/**
 * The coarse clock that times unsampled borrows: {@code System.nanoTime()} read on the scheduler
 * every {@link ConnectionHolders#CLOCK_TICK} while tracking runs, so that a borrow reads a field
 * instead of the clock. While it is stopped a borrow reads the precise clock.
 */
final class CoarseClock {

	// the coarse clock's value while it is not ticking: borrows read the precise clock then
	private static final long CLOCK_STOPPED = Long.MIN_VALUE;

	private final PeriodicWork ticking = new PeriodicWork("poolguard-leak-clock");

	// System.nanoTime() at the last tick with its lowest bit cleared, or CLOCK_STOPPED; an odd
	// request time is a precise reading taken for a sampled app borrow (see requestTime). In an
	// object of its own: written every tick, it should not share a line with the fields every
	// borrow reads.
	private final AtomicLong coarseNanos = new AtomicLong(CLOCK_STOPPED);

	/**
	 * Return the time of the last tick, or the precise time while the clock is stopped.
	 * @return a {@link System#nanoTime()} reading with its lowest bit cleared
	 */
	long read() {
		long coarse = this.coarseNanos.get();
		return (coarse != CLOCK_STOPPED) ? coarse : System.nanoTime() & ~1L;
	}

	void tick() {
		// a tick late enough to run after close() must not restart a stopped clock
		long last = this.coarseNanos.get();
		if (last != CLOCK_STOPPED) {
			this.coarseNanos.compareAndSet(last, System.nanoTime() & ~1L);
		}
	}

	void start() {
		// set before any borrow can read it, then ticked on the scheduler
		this.coarseNanos.set(System.nanoTime() & ~1L);
		this.ticking.start(ConnectionHolders.CLOCK_TICK, ConnectionHolders.CLOCK_TICK, this::tick);
	}

	void scheduleOn(Housekeeping housekeeping) {
		this.ticking.scheduleOn(housekeeping);
	}

	void stop() {
		// from now on borrows read the precise clock, not a clock that no longer moves
		this.ticking.stop(Duration.ofSeconds(1));
		this.coarseNanos.set(CLOCK_STOPPED);
	}

	boolean isTicking() {
		return this.coarseNanos.get() != CLOCK_STOPPED;
	}

}
