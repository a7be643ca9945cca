package io.github.poolguard.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.internal.experience.AppConnectionLatency;
import io.github.poolguard.internal.experience.AppExperienceSampler;
import io.github.poolguard.internal.experience.HttpRequestLatency;
import io.github.poolguard.experience.LatencySource;
import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.pressure.AppLatencyPressure;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

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

	@Bean
	@ConditionalOnMissingBean
	AppExperienceSampler poolGuardAppExperienceSampler(ThrottlingExecutor executor,
			ObjectProvider<ConnectionHolders> holders, ObjectProvider<LatencySource> otherSources,
			ObjectProvider<Housekeeping> housekeeping) {
		List<LatencySource> sources = new ArrayList<>();
		holders.ifAvailable((tracker) -> sources.add(new AppConnectionLatency(tracker.getAppBorrowTimes())));
		otherSources.orderedStream().forEach(sources::add);
		AppExperienceSampler sampler = new AppExperienceSampler(sources,
				() -> executor.getRuns().stream().anyMatch((run) -> !run.state().isFinished()), WINDOW);
		housekeeping.ifAvailable(sampler::scheduleOn);
		return sampler;
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(FiniteTolerance.class)
	AppLatencyPressure poolGuardAppLatencyPressure(AppExperienceSampler sampler, PoolGuardProperties properties) {
		return new AppLatencyPressure(sampler, properties.getBatch().getAppLatencyTolerance());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class HttpRequestLatencyConfiguration {

		@Bean
		HttpRequestLatency poolGuardHttpRequestLatency(MeterRegistry registry) {
			return new HttpRequestLatency(registry);
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
