package io.github.poolguard.internal.pressure;

import io.github.poolguard.pressure.PressureSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Locale;
import java.util.function.LongSupplier;

import io.github.poolguard.internal.experience.AppExperience;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.internal.experience.CpuStallShare;
import io.github.poolguard.internal.experience.GcPauseShare;
import io.github.poolguard.experience.LatencyReading;
import io.github.poolguard.internal.text.Formats;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Steers batch work by how far the application's experience is from its baseline
 * ({@code poolguard.batch.app-latency-tolerance}): a pace from 0 to 1, the share of each run's
 * items and of the database limit batch work may use, updated once per window of the
 * {@link AppExperienceSampler}.
 *
 * <p>
 * The law is AIMD with a decrease proportional to the overshoot, the way Gradient2 moves its
 * limit: each window, the overshoot {@code o} is the worst signal's ratio to its baseline
 * divided by the tolerance, and
 * <ul>
 * <li>within tolerance ({@code o ≤ 1}) the pace grows by {@value #GROWTH} (full pace again ten
 * windows after the slowest);</li>
 * <li>past it, the pace is divided by {@code o} (at 1.5 times the baseline under a tolerance of
 * 1.3, by 1.15 a window; at 2.6 times, by 2), down to {@value #SLOWEST_PACE};</li>
 * <li>at {@value #HOLD_OVERSHOOT} times the tolerance or more once the pace is already at its
 * slowest, steering has run out of room and the app is hurt, not slowed: the batch holds, as for
 * app-pool waiters ({@link #currentPressure()} reports it, so the executor and Spring Batch's
 * chunk gate stop new work, {@code max-yield} bounding the pause). An app five times as slow as
 * its baseline under a tolerance of 1.3 is held two windows after the median sees it (the pace
 * divided by 3.8, then at 0.1); a short burst (a job's first seconds in a fresh JVM, when the JIT
 * compiles its code) is steered through instead of stopping the batch for the seconds the median
 * takes to let go. (Holding at twice the tolerance whatever the pace, as the law first did, made
 * a 300-ticker job in the benchmark stand still one or two seconds of its three on a 1.7 ms
 * excess over a 1.2 ms mean.)</li>
 * </ul>
 * The overshoot acted on is the lower median of the last {@value #MEDIAN_WINDOWS} windows that
 * had a reading: one window slowed by scheduling noise (a hiccup of the machine, one
 * collection) moves nothing; two in a row do. A slowdown of less than {@link #MIN_EXCESS} is
 * within tolerance whatever the ratio: means under a millisecond (a local {@code SELECT 1})
 * double on scheduling noise alone, and no user feels the difference.
 *
 * <p>
 * The same tolerance applies to the share of time the JVM was paused for garbage collection:
 * past {@code tolerance} times its share without a batch, and at least {@link #MIN_GC_EXCESS}
 * of the time above it, its overshoot is the excess in units of {@link #MIN_GC_EXCESS}. A pause
 * stops every request at once, so it shows in the app's tail latency while the mean of a window
 * barely moves.
 *
 * <p>
 * So does the share of the window in which runnable tasks waited for a CPU (Linux
 * pressure-stall information, where the OS gives it), read as the stretch it gives CPU-bound
 * work: a task stalled a share {@code s} of the time runs {@code 1 - s} of it, so its work takes
 * {@code (1 - baseline) / (1 - s)} times as long as without a batch. That stretch is a latency
 * ratio and the tolerance applies to it as it is: its overshoot is the stretch divided by the
 * tolerance, and a stall share less than {@link #MIN_CPU_STALL_EXCESS} above its baseline is
 * within tolerance whatever the stretch. It leads the other signals: the cores are short before
 * the requests waiting for them finish late. The GC share's law (the excess in units of its
 * minimum) would not do here: the system's stall share moves by several points a second on a
 * machine that also runs other work, and in units of two points that holds the batch on noise.
 *
 * <p>
 * While no baseline exists (a batch has run since before the application was ready and the app
 * was never read without one) there is nothing to compare with: the pace is held at
 * {@value #NO_BASELINE_PACE} at most, and the details say so.
 *
 * <p>
 * A run's slow start ramps on {@link #calmNanos()}, a clock that stops while the app is past
 * tolerance (in the last window or in the median the pace acts on): the ramp waits where the app
 * is hurt instead of running into it for the two windows the median takes to answer.
 */
public class AppLatencyPressure implements PressureSource {

	static final Duration MIN_EXCESS = Duration.ofMillis(1);

	// one percent of the time paused beyond the baseline: 50 ms in five seconds
	static final double MIN_GC_EXCESS = 0.01;

	// two points of the window stalled beyond the baseline: below it a one-second share moves on the
	// JVM's own background threads (JIT compilers, GC workers, a log flush) and a neighbour's burst,
	// not on a batch, and it stretches CPU-bound work by 2 % at most, which no user feels. Past a
	// tolerance of 1.3 the stretch needs a rise of over 20 points anyway; the floor matters for
	// tolerances close to 1
	static final double MIN_CPU_STALL_EXCESS = 0.02;

	// twice as slow as the tolerance allows at the slowest pace: steering has run out of room, hold
	static final double HOLD_OVERSHOOT = 2.0;

	// the slowest steered pace: one item and one database step of a run of up to ten
	static final double SLOWEST_PACE = 0.1;

	// the pace while there is no baseline to compare with
	static final double NO_BASELINE_PACE = 0.5;

	// growth per window within tolerance: slow, so that a lagging signal does not make it oscillate
	static final double GROWTH = 0.1;

	static final int MEDIAN_WINDOWS = 3;

	private static final Log logger = LogFactory.getLog(AppLatencyPressure.class);

	private final AppExperienceSampler sampler;

	private final double tolerance;

	// touched only by the sampling thread
	// each window's worst overshoot with the sentence that explains it
	private final Deque<Window> overshoots = new ArrayDeque<>();

	private final boolean pacesOnCpuPressure;

	private volatile Pace pace = new Pace(1.0, 0, null, false, false);

	private final LongSupplier ticker;

	private volatile CalmClock calm;

	/**
	 * Create a source reading the given sampler, updated with each of its readings, steering on
	 * the CPU pressure-stall signal too.
	 * @param sampler the app-experience sampler
	 * @param tolerance how many times its baseline the app's latency may be before batch work
	 * slows down; greater than 1
	 */
	public AppLatencyPressure(AppExperienceSampler sampler, double tolerance) {
		this(sampler, tolerance, true);
	}

	/**
	 * Create a source reading the given sampler, updated with each of its readings.
	 * @param sampler the app-experience sampler
	 * @param tolerance how many times its baseline the app's latency may be before batch work
	 * slows down; greater than 1
	 * @param pacesOnCpuPressure whether the CPU pressure-stall signal steers the pace
	 * ({@code poolguard.batch.pace-on-cpu-pressure}); it is shown either way
	 */
	public AppLatencyPressure(AppExperienceSampler sampler, double tolerance, boolean pacesOnCpuPressure) {
		this(sampler, tolerance, pacesOnCpuPressure, System::nanoTime);
	}

	AppLatencyPressure(AppExperienceSampler sampler, double tolerance, boolean pacesOnCpuPressure,
			LongSupplier ticker) {
		Assert.isTrue(tolerance > 1, "tolerance must be greater than 1");
		this.sampler = sampler;
		this.tolerance = tolerance;
		this.pacesOnCpuPressure = pacesOnCpuPressure;
		this.ticker = ticker;
		this.calm = new CalmClock(0, ticker.getAsLong(), true);
		sampler.onReading(this::update);
	}

	/**
	 * Return the reason batch work must hold, or {@code null} while it may go on at
	 * {@link #pace()}.
	 * @return the reason, past {@value #HOLD_OVERSHOOT} times the tolerance at the slowest pace,
	 * or {@code null}
	 */
	@Override
	public @Nullable String currentPressure() {
		Pace current = this.pace;
		return current.hold ? current.reason : null;
	}

	/**
	 * Return the share of each run's items and of the database limit batch work may use now.
	 * @return the pace, from {@value #SLOWEST_PACE} to 1
	 */
	public double pace() {
		return this.pace.value;
	}

	/**
	 * Return the overshoot the pace acts on: the median of the last windows' worst ratio to its
	 * baseline, divided by the tolerance.
	 * @return the overshoot, 1 at the tolerance, 0 before any reading
	 */
	public double overshoot() {
		return this.pace.overshoot;
	}

	/**
	 * Return a clock that runs while the app's experience is within tolerance and stops while
	 * it is past: while the last window, or the median of the last windows the pace acts on, was
	 * past tolerance. A run's slow start ramps on it, so it grows only while the app is fine.
	 * @return nanoseconds, from an arbitrary origin, as {@link System#nanoTime()}
	 */
	public long calmNanos() {
		return this.calm.readAt(this.ticker.getAsLong());
	}

	/**
	 * Describe what batch pacing makes of the app's experience now, for the health details.
	 * @param batchRunning whether a batch runs
	 * @return "within tolerance", "holding back: …", "slowing down: …", "growing back: …" or
	 * "no baseline yet: …"
	 */
	public String describe(boolean batchRunning) {
		Pace current = this.pace;
		String percent = Formats.percent(current.value);
		if (current.noBaseline) {
			return (batchRunning ? "no baseline yet: " : "no baseline yet (no batch runs): ")
					+ (this.sampler.getLatest().ready()
							? "the app has not been read without a batch since it became ready"
							: "the application is not ready yet")
					+ ", so batch work goes at " + percent + " at most";
		}
		if (current.hold) {
			return (batchRunning ? "holding back: " : "past tolerance: ") + current.reason;
		}
		if (current.overshoot > 1 && current.reason != null) {
			return "slowing down to " + percent + ": " + current.reason;
		}
		if (current.value < 1) {
			return "growing back, at " + percent + ": within tolerance";
		}
		return "within tolerance";
	}

	private void update(AppExperience experience) {
		Pace previous = this.pace;
		if (!experience.learned()) {
			this.pace = new Pace(Math.min(NO_BASELINE_PACE, previous.value), 0, null, false, true);
			runCalmClock(true);
			return;
		}
		String reason = null;
		double worst = -1;
		for (LatencyReading reading : experience.readings()) {
			double overshoot = reading.ratio() / this.tolerance;
			if (reading.recent().minus(reading.baseline()).compareTo(MIN_EXCESS) < 0) {
				overshoot = Math.min(overshoot, 1.0);
			}
			if (overshoot > worst) {
				worst = overshoot;
				reason = describe(reading);
			}
		}
		GcPauseShare gc = experience.gcPauses();
		if (gc != null) {
			boolean past = gc.recent() > this.tolerance * gc.baseline() && gc.excess() >= MIN_GC_EXCESS;
			double overshoot = past ? gc.excess() / MIN_GC_EXCESS : 0;
			if (overshoot > worst) {
				worst = overshoot;
				reason = describe(gc);
			}
		}
		CpuStallShare cpu = this.pacesOnCpuPressure ? experience.cpuStalls() : null;
		if (cpu != null) {
			double overshoot = stretch(cpu) / this.tolerance;
			if (cpu.excess() < MIN_CPU_STALL_EXCESS) {
				overshoot = Math.min(overshoot, 1.0);
			}
			if (overshoot > worst) {
				worst = overshoot;
				reason = describe(cpu);
			}
		}
		if (worst < 0) {
			// no signal had enough operations in this window: nothing to act on
			if (previous.noBaseline) {
				this.pace = new Pace(previous.value, 0, null, false, false);
			}
			// nothing says the app is past tolerance: the ramp goes on with the time
			runCalmClock(true);
			return;
		}
		this.overshoots.addLast(new Window(worst, reason));
		if (this.overshoots.size() > MEDIAN_WINDOWS) {
			this.overshoots.removeFirst();
		}
		// the median window's own sentence: the current one may be within tolerance
		Window median = lowerMedian();
		double overshoot = median.overshoot();
		reason = median.reason();
		Pace next;
		if (overshoot >= HOLD_OVERSHOOT && previous.value <= SLOWEST_PACE) {
			next = new Pace(SLOWEST_PACE, overshoot, reason, true, false);
		}
		else if (overshoot > 1) {
			next = new Pace(Math.max(SLOWEST_PACE, previous.value / overshoot), overshoot, reason, false, false);
		}
		else {
			double grown = previous.value + GROWTH;
			// five tenths make 0.9999999999999999: full pace, not a hair under it
			next = new Pace((grown > 1 - 1e-9) ? 1.0 : grown, overshoot, null, false, false);
		}
		this.pace = next;
		runCalmClock(worst <= 1 && overshoot <= 1);
		if (experience.batchRunning() && !next.hold && next.overshoot > 1 && !(previous.overshoot > 1)) {
			logger.info("PoolGuard: batch work slows down to " + Formats.percent(next.value) + " of its items and"
					+ " database steps: " + reason);
		}
	}

	private void runCalmClock(boolean running) {
		long now = this.ticker.getAsLong();
		this.calm = new CalmClock(this.calm.readAt(now), now, running);
	}

	private Window lowerMedian() {
		Window[] sorted = this.overshoots.toArray(new Window[0]);
		Arrays.sort(sorted, Comparator.comparingDouble(Window::overshoot));
		return sorted[(sorted.length - 1) / 2];
	}

	private String describe(LatencyReading reading) {
		return String.format(Locale.ROOT,
				"%s took %.1f ms on average over the last %s, %.1f times its %.1f ms without a batch"
						+ " (poolguard.batch.app-latency-tolerance %s)",
				reading.source(), millis(reading.recent()), Formats.duration(this.sampler.getWindow()),
				reading.ratio(), millis(reading.baseline()), this.tolerance);
	}

	private String describe(GcPauseShare gc) {
		return String.format(Locale.ROOT,
				"the JVM paused for garbage collection %.1f%% of the last %s, against %.1f%% without a batch"
						+ " (poolguard.batch.app-latency-tolerance %s)",
				gc.recent() * 100, Formats.duration(Duration.ofMillis(Math.round(gc.seconds() * 1000))),
				gc.baseline() * 100, this.tolerance);
	}

	private String describe(CpuStallShare cpu) {
		return String.format(Locale.ROOT,
				"runnable tasks waited for a CPU %.1f%% of the last %s, against %.1f%% without a batch:"
						+ " CPU-bound work took %.1f times as long (poolguard.batch.app-latency-tolerance %s)",
				cpu.recent() * 100, Formats.duration(this.sampler.getWindow()), cpu.baseline() * 100, stretch(cpu),
				this.tolerance);
	}

	/**
	 * How many times as long CPU-bound work takes, stalled the recent share of the time instead of
	 * the baseline's.
	 */
	static double stretch(CpuStallShare cpu) {
		// a window stalled throughout: as far past any tolerance as can be said
		double running = Math.max(1.0 - cpu.recent(), 1e-3);
		return (1.0 - cpu.baseline()) / running;
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1_000_000.0;
	}

	/**
	 * The pace after a window, published whole.
	 */
	private record Window(double overshoot, @Nullable String reason) {

	}

	/**
	 * The calm clock's reading when it last started or stopped, published whole.
	 */
	private record CalmClock(long at, long since, boolean running) {

		long readAt(long now) {
			return this.running ? this.at + (now - this.since) : this.at;
		}

	}

	private record Pace(double value, double overshoot, @Nullable String reason, boolean hold, boolean noBaseline) {

	}

}
