package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.experience.LatencyReading;
import io.github.poolguard.experience.LatencyTotals;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.housekeeping.PeriodicWork;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Reads what the application feels, once per window: the mean duration of each
 * {@link LatencySource}'s operations that finished in the window, against a baseline learned
 * while no batch runs.
 *
 * <p>
 * The estimator is the window mean from the sources' running totals: the hot path only adds to
 * sums (no histogram per borrow), and a mean over one window already moves when CPU or GC
 * contention slows every operation, which is what a batch in the same JVM does. The baseline is
 * an exponentially weighted mean of the windows without a batch (weight {@value #BASELINE_WEIGHT}
 * per window, so it follows the app's idle latency over about five windows) and stays frozen
 * while a batch runs, so the batch cannot teach it that slow is normal. It learns only from
 * windows that start after the application is ready ({@link #applicationReady()}): the window in
 * progress then is discarded, as it holds the startup's slowest seconds (migrations, Hibernate, a
 * cold JIT). A window learns only if no batch ran at its start nor at its end, so the window in
 * which a batch ended is not taken for a quiet one. A window with fewer than
 * {@value #MIN_SAMPLES} operations of a source gives no reading for it: a handful of operations
 * say more about themselves than about the app.
 *
 * <p>
 * A second signal needs no source: the share of the last {@value #GC_WINDOWS} windows the JVM
 * spent paused for garbage collection, with a baseline learned the same way. A batch in the same
 * JVM allocates, and the pauses it causes stop every request at once: they show in the tail of
 * the app's latency long before they move a one-second mean. The share is taken over several
 * windows because collections are seconds apart: over one window it would swing between none and
 * a whole pause. The GC baseline learns a share only when every window of its span was quiet:
 * the shares taken in the windows after a batch ends still hold the batch's pauses.
 *
 * <p>
 * A third signal leads CPU contention where Linux gives it: the share of the window in which
 * runnable tasks waited for a CPU, from the pressure-stall files ({@link CpuPressureFiles}), the
 * largest of the system's, the container's and its quota throttling, with a baseline learned
 * from windows without a batch as the sources' is. It moves as soon as the cores are short,
 * before the requests queued behind them finish and move a latency mean. Where the files are
 * absent one INFO line says so at startup and the signal is left out.
 */
public class AppExperienceSampler implements SmartLifecycle {

	static final int MIN_SAMPLES = 10;

	static final double BASELINE_WEIGHT = 0.2;

	// windows without a batch before a baseline is trusted: the first ones include warm-up
	static final int BASELINE_WINDOWS = 3;

	// windows the GC pause share is taken over
	static final int GC_WINDOWS = 5;

	private static final Log logger = LogFactory.getLog(AppExperienceSampler.class);

	private final List<SourceState> sources;

	private final BooleanSupplier batchRunning;

	private final Duration window;

	private final Clock clock;

	private final GcState gc;

	private final @Nullable CpuState cpu;

	private final PeriodicWork sampling = new PeriodicWork("poolguard-app-experience");

	private volatile AppExperience latest = AppExperience.NONE;

	private volatile boolean ready;

	private final List<Consumer<AppExperience>> listeners = new CopyOnWriteArrayList<>();

	// the rest is touched only by the sampling thread

	private boolean readySeen;

	private boolean batchAtWindowStart;

	// consecutive windows wholly after the application became ready and without a batch
	private int quietWindows;

	/**
	 * Create a sampler.
	 * @param sources what the application feels
	 * @param batchRunning whether background work runs now, which stops the baseline learning
	 * @param window how often to read, the pacing's control step
	 */
	public AppExperienceSampler(List<LatencySource> sources, BooleanSupplier batchRunning, Duration window) {
		this(sources, batchRunning, window, Clock.systemUTC(), GcPauses.ofRunningJvm()::totalNanos, System::nanoTime,
				CpuPressureFiles.ofRunningSystem());
	}

	AppExperienceSampler(List<LatencySource> sources, BooleanSupplier batchRunning, Duration window, Clock clock,
			LongSupplier gcPauseNanos, LongSupplier ticker) {
		this(sources, batchRunning, window, clock, gcPauseNanos, ticker, null);
	}

	/**
	 * Create a sampler reading the given clock, GC pauses and CPU pressure-stall files.
	 * @param cpuPressure the pressure-stall files, {@code null} to leave the signal out without a
	 * word
	 */
	AppExperienceSampler(List<LatencySource> sources, BooleanSupplier batchRunning, Duration window, Clock clock,
			LongSupplier gcPauseNanos, LongSupplier ticker, @Nullable CpuPressureFiles cpuPressure) {
		this.sources = sources.stream().map(SourceState::new).toList();
		this.batchRunning = batchRunning;
		this.window = window;
		this.clock = clock;
		this.gc = new GcState(gcPauseNanos, ticker);
		if (cpuPressure != null && !cpuPressure.isAvailable()) {
			logger.info("PoolGuard: no CPU pressure-stall information (/proc/pressure/cpu and the cgroup's"
					+ " cpu.pressure are absent or unreadable: not Linux, a kernel before 4.20, PSI disabled or"
					+ " cgroup v1), so batch pacing goes on the app's latency and GC pauses without it");
		}
		this.cpu = (cpuPressure != null && cpuPressure.isAvailable()) ? new CpuState(cpuPressure, ticker) : null;
	}

	/**
	 * Return the reading of the last window.
	 * @return the latest reading, {@link AppExperience#NONE} before the first window ends
	 */
	public AppExperience getLatest() {
		return this.latest;
	}

	/**
	 * Return how often the sampler reads.
	 * @return the window
	 */
	public Duration getWindow() {
		return this.window;
	}

	/**
	 * Return the names of the latency sources read, in order.
	 * @return the source names
	 */
	public List<String> getSourceNames() {
		return this.sources.stream().map((state) -> state.source.name()).toList();
	}

	/**
	 * Return whether the CPU pressure-stall signal is read: Linux gives it and it was readable
	 * when the sampler was made.
	 * @return whether readings may carry {@link AppExperience#cpuStalls()}
	 */
	public boolean readsCpuPressure() {
		return this.cpu != null;
	}

	/**
	 * Call the given listener with every new reading, on the sampling thread, once per window.
	 * @param listener what acts on the readings; it must answer at once
	 */
	public void onReading(Consumer<AppExperience> listener) {
		this.listeners.add(listener);
	}

	/**
	 * Let the baselines learn from the next window on: the application is ready. The window in
	 * progress now is discarded.
	 */
	public void applicationReady() {
		this.ready = true;
	}

	/**
	 * Close the current window: read every source and publish a new reading.
	 */
	public void sample() {
		boolean batch = this.batchRunning.getAsBoolean();
		boolean overlapped = batch || this.batchAtWindowStart;
		this.batchAtWindowStart = batch;
		boolean firstReady = this.ready && !this.readySeen;
		this.readySeen = this.ready;
		boolean quiet = this.readySeen && !firstReady && !overlapped;
		this.quietWindows = quiet ? this.quietWindows + 1 : 0;
		List<LatencyReading> readings = new ArrayList<>();
		boolean learned = false;
		for (SourceState source : this.sources) {
			LatencyReading reading = source.read(quiet);
			if (reading != null) {
				readings.add(reading);
			}
			learned |= source.baseline.isTrusted();
		}
		GcPauseShare gcPauses = this.gc.read(this.quietWindows >= GC_WINDOWS);
		learned |= this.gc.baseline.isTrusted();
		CpuStallShare cpuStalls = null;
		if (this.cpu != null) {
			cpuStalls = this.cpu.read(quiet);
			learned |= this.cpu.baseline.isTrusted();
		}
		AppExperience experience = new AppExperience(List.copyOf(readings), gcPauses, cpuStalls, batch,
				this.readySeen, learned, this.clock.instant());
		this.latest = experience;
		for (Consumer<AppExperience> listener : this.listeners) {
			try {
				listener.accept(experience);
			}
			catch (RuntimeException ex) {
				// one listener's failure must not keep the reading from the others
				logger.debug("PoolGuard: acting on the app's latency failed", ex);
			}
		}
	}

	/**
	 * Read on the scheduler, once per window; in an application context this happens when the
	 * context starts.
	 */
	@Override
	public void start() {
		this.sampling.start(this.window, this.window, this::sampleSafely);
	}

	/**
	 * Run on the application's one scheduler instead of a thread of its own. Set before
	 * {@link #start()}.
	 * @param housekeeping the scheduler
	 */
	public void scheduleOn(Housekeeping housekeeping) {
		this.sampling.scheduleOn(housekeeping);
	}

	@Override
	public void stop() {
		this.sampling.stop(Duration.ZERO);
	}

	@Override
	public boolean isRunning() {
		return this.sampling.isRunning();
	}

	private void sampleSafely() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			logger.debug("PoolGuard: reading the app's latency failed", ex);
		}
	}

	/**
	 * One source's last totals and baseline; touched only by the sampling thread.
	 */
	private static final class SourceState {

		private final LatencySource source;

		private LatencyTotals last;

		private final Baseline baseline = new Baseline();

		SourceState(LatencySource source) {
			this.source = source;
			this.last = source.totals();
		}

		@Nullable LatencyReading read(boolean learn) {
			LatencyTotals now = this.source.totals();
			long count = now.count() - this.last.count();
			long nanos = now.totalNanos() - this.last.totalNanos();
			this.last = now;
			// a registry that resets its totals every step gives negative differences: no reading
			if (count < MIN_SAMPLES || nanos < 0) {
				return null;
			}
			double mean = (double) nanos / count;
			if (!this.baseline.learn(mean, learn)) {
				return null;
			}
			return new LatencyReading(this.source.name(), Duration.ofNanos((long) mean),
					Duration.ofNanos((long) this.baseline.value), count);
		}

	}

	/**
	 * The GC pause totals at the end of each of the last windows and the share's baseline;
	 * touched only by the sampling thread.
	 */
	private static final class GcState {

		private final LongSupplier pauseNanos;

		private final LongSupplier ticker;

		// pause total and ticker at the end of the last GC_WINDOWS + 1 windows, oldest first
		private final long[] pauses = new long[GC_WINDOWS + 1];

		private final long[] ticks = new long[GC_WINDOWS + 1];

		private int filled;

		private final Baseline baseline = new Baseline();

		GcState(LongSupplier pauseNanos, LongSupplier ticker) {
			this.pauseNanos = pauseNanos;
			this.ticker = ticker;
			record();
		}

		@Nullable GcPauseShare read(boolean learn) {
			record();
			if (this.filled <= GC_WINDOWS) {
				return null;
			}
			long elapsed = this.ticks[GC_WINDOWS] - this.ticks[0];
			long paused = this.pauses[GC_WINDOWS] - this.pauses[0];
			if (elapsed <= 0 || paused < 0) {
				return null;
			}
			double share = Math.min(1.0, (double) paused / elapsed);
			if (!this.baseline.learn(share, learn)) {
				return null;
			}
			return new GcPauseShare(share, this.baseline.value, elapsed / 1e9);
		}

		private void record() {
			if (this.filled == this.pauses.length) {
				System.arraycopy(this.pauses, 1, this.pauses, 0, GC_WINDOWS);
				System.arraycopy(this.ticks, 1, this.ticks, 0, GC_WINDOWS);
				this.filled--;
			}
			this.pauses[this.filled] = this.pauseNanos.getAsLong();
			this.ticks[this.filled] = this.ticker.getAsLong();
			this.filled++;
		}

	}

	/**
	 * The pressure-stall totals at the end of the last window and the stall share's baseline;
	 * touched only by the sampling thread.
	 *
	 * <p>
	 * The share is the difference of the kernel's {@code total} counters over the sampler's own
	 * window, not the {@code avg10} the same line shows: that is a ten-second average the kernel
	 * updates every two seconds, so it would lag a one-second control step by several windows,
	 * and it would carry a batch's stalls into the quiet windows after the batch ends, where the
	 * baseline learns. The totals are exact to the microsecond, so one window is enough: unlike
	 * GC pauses, stalls come in many small waits, not in a few seconds-apart blocks.
	 */
	private static final class CpuState {

		private final CpuPressureFiles files;

		private final LongSupplier ticker;

		private CpuPressureFiles.Totals last;

		private long lastTick;

		private final Baseline baseline = new Baseline();

		CpuState(CpuPressureFiles files, LongSupplier ticker) {
			this.files = files;
			this.ticker = ticker;
			this.last = files.read();
			this.lastTick = ticker.getAsLong();
		}

		@Nullable CpuStallShare read(boolean learn) {
			CpuPressureFiles.Totals now = this.files.read();
			long tick = this.ticker.getAsLong();
			CpuPressureFiles.Totals previous = this.last;
			long elapsedMicros = (tick - this.lastTick) / 1000;
			this.last = now;
			this.lastTick = tick;
			if (elapsedMicros <= 0) {
				return null;
			}
			double system = share(previous.systemStallMicros(), now.systemStallMicros(), elapsedMicros);
			double cgroup = share(previous.cgroupStallMicros(), now.cgroupStallMicros(), elapsedMicros);
			// throttled_usec adds up the time on every CPU the quota stopped: on several cores it can
			// exceed the window, hence capped at the whole window
			double throttled = share(previous.throttledMicros(), now.throttledMicros(), elapsedMicros);
			// the largest, not the sum: the cgroup's stalls are part of the system's, and a kernel
			// may count throttled time as a stall too
			double recent = Math.max(system, Math.max(cgroup, throttled));
			if (recent < 0) {
				// no file read in both windows (one vanished, or its counter went back)
				return null;
			}
			if (!this.baseline.learn(recent, learn)) {
				return null;
			}
			long periods = (previous.throttledPeriods() >= 0 && now.throttledPeriods() >= previous.throttledPeriods())
					? now.throttledPeriods() - previous.throttledPeriods() : -1;
			return new CpuStallShare(recent, this.baseline.value, throttled, periods);
		}

		private static double share(long before, long after, long elapsedMicros) {
			if (before < 0 || after < before) {
				return -1;
			}
			return Math.min(1.0, (double) (after - before) / elapsedMicros);
		}

	}

	/**
	 * An exponentially weighted mean of the quiet windows, frozen otherwise.
	 */
	private static final class Baseline {

		private double value;

		private int windows;

		/**
		 * Learn from one window if it was quiet.
		 * @param observed the window's value
		 * @param learn whether the window was quiet: after the application became ready and
		 * without a batch
		 * @return whether the baseline has seen enough windows to be trusted
		 */
		boolean learn(double observed, boolean learn) {
			if (learn) {
				this.value = (this.windows == 0) ? observed : this.value + BASELINE_WEIGHT * (observed - this.value);
				this.windows++;
			}
			return isTrusted();
		}

		boolean isTrusted() {
			return this.windows >= BASELINE_WINDOWS;
		}

	}

}
