package io.github.poolguard.internal.experience;

import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.experience.LatencyTotals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * An application and its JVM the test drives one window at a time: one latency source (app
 * operations of a duration the test sets), GC pauses, whether a batch runs. The application is
 * ready from the first window on. For tests outside
 * this package that need an {@link AppExperienceSampler} with readings they choose.
 */
public final class ScriptedJvm {

	/**
	 * The name of the one latency source.
	 */
	public static final String SOURCE = "scripted operations";

	/**
	 * How many windows without a batch {@link #learn(Duration, Duration)} lets pass: enough for
	 * every baseline to be trusted.
	 */
	public static final int LEARNING_WINDOWS = AppExperienceSampler.GC_WINDOWS + AppExperienceSampler.BASELINE_WINDOWS;

	private final AtomicBoolean batch = new AtomicBoolean();

	private long count;

	private long nanos;

	private long nanoTime = 1_000_000_000L;

	private long pausedNanos;

	private final AppExperienceSampler sampler;

	/**
	 * Create the application and a sampler reading it, windows of a second.
	 */
	public ScriptedJvm() {
		this(null);
	}

	/**
	 * Create the application and a sampler reading it and the given CPU pressure-stall files,
	 * windows of a second.
	 * @param cpuPressure the files, which the test grows before each window, or {@code null}
	 */
	public ScriptedJvm(@Nullable CpuPressureFiles cpuPressure) {
		LatencySource source = new LatencySource() {

			@Override
			public String name() {
				return SOURCE;
			}

			@Override
			public LatencyTotals totals() {
				return new LatencyTotals(ScriptedJvm.this.count, ScriptedJvm.this.nanos);
			}

		};
		this.sampler = new AppExperienceSampler(List.of(source), this.batch::get, Duration.ofSeconds(1),
				Clock.systemUTC(), () -> this.pausedNanos, () -> this.nanoTime, cpuPressure);
		// the application is ready at once: the window in progress (nothing happened in it) is discarded
		this.sampler.applicationReady();
		this.sampler.sample();
	}

	/**
	 * Return the sampler reading this application.
	 * @return the sampler
	 */
	public AppExperienceSampler sampler() {
		return this.sampler;
	}

	/**
	 * Return the JVM's ticker, which moves a second with each window.
	 * @return nanoseconds
	 */
	public long nanoTime() {
		return this.nanoTime;
	}

	/**
	 * Set whether a batch runs from the next window on.
	 * @param running whether a batch runs
	 */
	public void batch(boolean running) {
		this.batch.set(running);
	}

	/**
	 * Let one window of a second pass and sample it.
	 * @param operations operations finished in the window
	 * @param each how long each took
	 * @param paused how long the JVM was paused for GC in the window
	 */
	public void window(int operations, Duration each, Duration paused) {
		this.count += operations;
		this.nanos += operations * each.toNanos();
		this.nanoTime += 1_000_000_000L;
		this.pausedNanos += paused.toNanos();
		this.sampler.sample();
	}

	/**
	 * Let enough windows without a batch pass for every baseline to be trusted.
	 * @param each how long each operation took
	 * @param paused how long the JVM was paused in each window
	 */
	public void learn(Duration each, Duration paused) {
		for (int window = 0; window < LEARNING_WINDOWS; window++) {
			window(20, each, paused);
		}
	}

}
