package io.github.poolguard.internal.metrics;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.github.poolguard.experience.LatencyReading;
import io.github.poolguard.internal.experience.AppExperience;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.internal.experience.CpuStallShare;
import io.github.poolguard.internal.experience.GcPauseShare;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the app-experience meters that latency pacing acts on: {@code poolguard.app.latency}
 * (seconds; tags {@code source}, the source's name in lower case with dashes, and
 * {@code window}: {@code recent} for the last window's mean, {@code baseline} for the mean
 * learned without a batch) and {@code poolguard.app.gc.pauses} (the share of recent time the JVM
 * was paused for garbage collection, 0 to 1; tag {@code window}) and, where Linux gives
 * pressure-stall information, {@code poolguard.app.cpu.pressure} (the share of the last window
 * runnable tasks waited for a CPU, 0 to 1; tag {@code window}). A value is NaN while its reading
 * is missing: too few operations in the window, or no baseline yet; without pressure-stall
 * information the CPU meters are not registered at all.
 */
public class AppExperienceMetrics implements MeterBinder {

	private final AppExperienceSampler sampler;

	/**
	 * Create the binder.
	 * @param sampler the app-experience sampler
	 */
	public AppExperienceMetrics(AppExperienceSampler sampler) {
		this.sampler = sampler;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String source : this.sampler.getSourceNames()) {
			String tag = slug(source);
			latency(registry, source, tag, "recent", (reading) -> reading.recent().toNanos() / 1e9);
			latency(registry, source, tag, "baseline", (reading) -> reading.baseline().toNanos() / 1e9);
		}
		gc(registry, "recent", GcPauseShare::recent);
		gc(registry, "baseline", GcPauseShare::baseline);
		if (this.sampler.readsCpuPressure()) {
			cpu(registry, "recent", CpuStallShare::recent);
			cpu(registry, "baseline", CpuStallShare::baseline);
		}
	}

	private void cpu(MeterRegistry registry, String window, ToDoubleFunction<CpuStallShare> value) {
		Gauge.builder("poolguard.app.cpu.pressure", this.sampler, (sampler) -> {
			AppExperience latest = sampler.getLatest();
			return (latest.cpuStalls() != null) ? value.applyAsDouble(latest.cpuStalls()) : Double.NaN;
		})
			.tag("window", window)
			.description("Share of the time runnable tasks waited for a CPU, recently or without a batch")
			.register(registry);
	}

	private void latency(MeterRegistry registry, String source, String tag, String window,
			ToDoubleFunction<LatencyReading> value) {
		Gauge.builder("poolguard.app.latency", this.sampler, (sampler) -> {
			for (LatencyReading reading : sampler.getLatest().readings()) {
				if (reading.source().equals(source)) {
					return value.applyAsDouble(reading);
				}
			}
			return Double.NaN;
		})
			.tag("source", tag)
			.tag("window", window)
			.description("Mean duration of the app's operations, in the last window or without a batch")
			.baseUnit("seconds")
			.register(registry);
	}

	private void gc(MeterRegistry registry, String window, ToDoubleFunction<GcPauseShare> value) {
		Gauge.builder("poolguard.app.gc.pauses", this.sampler, (sampler) -> {
			AppExperience latest = sampler.getLatest();
			return (latest.gcPauses() != null) ? value.applyAsDouble(latest.gcPauses()) : Double.NaN;
		})
			.tag("window", window)
			.description("Share of the time the JVM was paused for garbage collection, recently or without a batch")
			.register(registry);
	}

	static String slug(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
	}

}
