package io.github.poolguard.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.poolguard.actuate.BatchRuns;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.internal.assessment.MonitoredConnectionsAssessment;
import io.github.poolguard.internal.experience.AppExperience;
import io.github.poolguard.internal.experience.AppConnectionLatency;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.internal.experience.HttpRequestLatency;
import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.metrics.AppExperienceMetrics;
import io.github.poolguard.internal.pressure.AppLatencyPressure;
import io.github.poolguard.internal.springbatch.ChunkGate;
import io.micrometer.core.instrument.MeterRegistry;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for pacing batch work on what the application feels: the app-experience
 * sampler and, unless {@code poolguard.batch.app-latency-tolerance} is Infinity, the pressure
 * source that makes batch runs back off while the app's latency is past the tolerance.
 */
@AutoConfiguration(after = { PoolGuardBatchAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(ThrottlingExecutor.class)
@EnableConfigurationProperties(PoolGuardProperties.class)
public final class PoolGuardAppExperienceAutoConfiguration {

	/**
	 * How often the app's latency is read: the control step of latency pacing. Long enough to
	 * hold a few dozen requests of a modest API, short enough that a batch backs off within a
	 * second of the app slowing.
	 */
	static final Duration WINDOW = Duration.ofSeconds(1);

	// the bean SpringApplication registers in every context it runs, and which will then see an
	// ApplicationReadyEvent
	private static final String SPRING_APPLICATION_ARGUMENTS = "springApplicationArguments";

	@Bean
	@ConditionalOnMissingBean
	AppExperienceSampler poolGuardAppExperienceSampler(ObjectProvider<BatchRuns> batchRuns,
			ObjectProvider<ConnectionHolders> holders, ObjectProvider<LatencySource> otherSources,
			ObjectProvider<Housekeeping> housekeeping) {
		List<LatencySource> sources = new ArrayList<>();
		holders.ifAvailable((tracker) -> sources.add(new AppConnectionLatency(tracker.getAppBorrowTimes())));
		otherSources.orderedStream().forEach(sources::add);
		// the executor's runs and Spring Batch steps alike; resolved on the first window, after
		// every bean exists
		Supplier<List<BatchRuns>> runs = SingletonSupplier.of(() -> batchRuns.orderedStream().toList());
		AppExperienceSampler sampler = new AppExperienceSampler(sources,
				() -> runs.get().stream().anyMatch(BatchRuns::isRunning), WINDOW);
		housekeeping.ifAvailable(sampler::scheduleOn);
		return sampler;
	}

	/**
	 * Tells the sampler when the application is ready, so that its baselines learn from the
	 * application at work and not from its startup: at {@link ApplicationReadyEvent} (after the
	 * runners) when a {@code SpringApplication} runs the context, else when the context is
	 * refreshed, as nothing else will say it is ready.
	 */
	@Bean
	static ApplicationListener<ApplicationEvent> poolGuardAppExperienceReadiness(
			ObjectProvider<AppExperienceSampler> sampler) {
		return (event) -> {
			if (event instanceof ApplicationReadyEvent || (event instanceof ContextRefreshedEvent refreshed
					&& !refreshed.getApplicationContext().containsBean(SPRING_APPLICATION_ARGUMENTS))) {
				sampler.ifAvailable(AppExperienceSampler::applicationReady);
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(FiniteTolerance.class)
	AppLatencyPressure poolGuardAppLatencyPressure(AppExperienceSampler sampler, PoolGuardProperties properties) {
		return new AppLatencyPressure(sampler, properties.getBatch().getAppLatencyTolerance(),
				properties.getBatch().isPaceOnCpuPressure());
	}

	/**
	 * Steers Spring Batch's chunks (a pause before each) by the pace latency pacing computes.
	 * The executor's adaptive runs are built with that pace
	 * ({@link PoolGuardBatchAutoConfiguration}).
	 */
	@Bean
	static SmartInitializingSingleton poolGuardAppLatencyPace(ObjectProvider<ChunkGate> chunkGate,
			ObjectProvider<AppLatencyPressure> pressure, ObjectProvider<PoolGuardProperties> properties) {
		return () -> pressure.ifAvailable((latency) -> {
			if (properties.getObject().getBatch().isYieldToApp()) {
				// Spring Batch chunks pause in proportion; their permits stay the pool's
				chunkGate.ifAvailable((gate) -> gate.setPace(latency::pace));
			}
		});
	}

	@Bean
	static SmartInitializingSingleton poolGuardExperienceDetails(
			ObjectProvider<MonitoredConnectionsAssessment> assessment, ObjectProvider<AppExperienceSampler> sampler,
			ObjectProvider<AppLatencyPressure> pressure, ObjectProvider<ThrottlingExecutor> executor,
			ObjectProvider<PoolGuardProperties> properties) {
		return () -> assessment.ifAvailable((connections) -> {
			AppExperienceSampler experience = sampler.getObject();
			AppLatencyPressure latency = pressure.getIfAvailable();
			ThrottlingExecutor throttling = executor.getIfAvailable();
			double tolerance = properties.getObject().getBatch().getAppLatencyTolerance();
			connections.showExperience(() -> experienceDetails(experience, latency, throttling, tolerance));
		});
	}

	/**
	 * The experience details health and the endpoint show: the latest reading, the tolerance and
	 * what batch pacing makes of them.
	 */
	static @Nullable Map<String, Object> experienceDetails(AppExperienceSampler sampler,
			@Nullable AppLatencyPressure pressure, double tolerance) {
		return experienceDetails(sampler, pressure, null, tolerance);
	}

	/**
	 * The experience details health and the endpoint show: the latest reading, the tolerance,
	 * what batch pacing makes of them and the pace it allows (the share, the items an adaptive
	 * run at {@code max-concurrency} may have in flight and the database steps allowed at once).
	 */
	static @Nullable Map<String, Object> experienceDetails(AppExperienceSampler sampler,
			@Nullable AppLatencyPressure pressure, @Nullable ThrottlingExecutor executor, double tolerance) {
		AppExperience latest = sampler.getLatest();
		if (latest == AppExperience.NONE) {
			return null;
		}
		Map<String, Object> details = latest.toDetails();
		details.put("tolerance", Double.isInfinite(tolerance) ? "Infinity" : tolerance);
		details.put("batchPacing", (pressure != null) ? pressure.describe(latest.batchRunning())
				: "off: " + FiniteTolerance.PROPERTY + " is Infinity");
		if (pressure != null) {
			Map<String, Object> pace = new LinkedHashMap<>();
			pace.put("share", Math.round(pressure.pace() * 100) / 100.0);
			pace.put("overshoot", Math.round(pressure.overshoot() * 100) / 100.0);
			if (executor != null) {
				pace.put("itemsAllowed", executor.getItemsAllowed());
				pace.put("maxConcurrency", executor.getMaxConcurrency());
				pace.put("databaseStepsAllowed", executor.getDatabaseStepLimit());
				pace.put("databaseStepsMax", executor.getMaxDatabaseSteps());
			}
			details.put("pace", pace);
		}
		return details;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class HttpRequestLatencyConfiguration {

		@Bean
		HttpRequestLatency poolGuardHttpRequestLatency(MeterRegistry registry) {
			return new HttpRequestLatency(registry);
		}

		@Bean
		AppExperienceMetrics poolGuardAppExperienceMetrics(AppExperienceSampler sampler) {
			return new AppExperienceMetrics(sampler);
		}

	}

	/**
	 * Matches unless the tolerance is Infinity, which turns latency pacing off.
	 */
	static final class FiniteTolerance extends SpringBootCondition {

		static final String PROPERTY = "poolguard.batch.app-latency-tolerance";

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			double tolerance = Binder.get(context.getEnvironment())
				.bind(PROPERTY, Double.class)
				.orElse(new PoolGuardProperties.Batch().getAppLatencyTolerance());
			return Double.isInfinite(tolerance) ? ConditionOutcome.noMatch(PROPERTY + " is Infinity")
					: ConditionOutcome.match(PROPERTY + " is " + tolerance);
		}

	}

}
