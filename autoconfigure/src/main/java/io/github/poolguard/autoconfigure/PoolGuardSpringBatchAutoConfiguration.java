package io.github.poolguard.autoconfigure;

import java.util.Objects;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.batch.BatchMetrics;
import io.github.poolguard.internal.routing.BackgroundHolds;
import io.github.poolguard.internal.routing.GovernedRoutingDataSource;
import io.github.poolguard.internal.springbatch.ChunkGate;
import io.github.poolguard.internal.springbatch.JobStopControls;
import io.github.poolguard.internal.springbatch.StepExecutions;
import io.github.poolguard.internal.springbatch.StepGovernor;
import io.github.poolguard.pressure.PressureSource;
import io.github.poolguard.routing.BackgroundPool;

import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that makes Spring Batch jobs background work: every step's chunks begin
 * their transactions on the background pool, no more of them at once than the pool has
 * connections, yielding while the application is under pressure
 * ({@code poolguard.batch.max-yield} holds), and running jobs show in
 * {@code /actuator/poolguard}, where pause and cancel stop them through {@link JobOperator}.
 * Backs off without Spring Batch, without PoolGuard's pools, and with
 * {@code poolguard.batch.spring-batch.enabled=false}.
 */
@AutoConfiguration(after = PoolGuardBatchAutoConfiguration.class,
		afterName = "org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration")
@ConditionalOnClass(Step.class)
@ConditionalOnBooleanProperty(name = "poolguard.batch.spring-batch.enabled", matchIfMissing = true)
@ConditionalOnBean(GovernedAppPool.class)
public final class PoolGuardSpringBatchAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BackgroundHolds poolGuardBackgroundHolds() {
		return new BackgroundHolds();
	}

	@Bean
	@ConditionalOnMissingBean
	ChunkGate poolGuardChunkGate(@BackgroundPool HikariDataSource backgroundPool, BackgroundHolds backgroundHolds,
			ObjectProvider<PressureSource> pressureSources, ObjectProvider<BatchMetrics> metrics,
			PoolGuardProperties properties) {
		// the same signals the throttling executor yields to, asked in the same order
		PressureSource pressure = properties.getBatch().isYieldToApp() ? () -> pressureSources.orderedStream()
			.map(PressureSource::currentPressure)
			.filter(Objects::nonNull)
			.findFirst()
			.orElse(null) : () -> null;
		// the live maximum: the fleet resizes the pool at run time
		ChunkGate gate = new ChunkGate(backgroundPool::getMaximumPoolSize, backgroundHolds, pressure,
				properties.getBatch().getMaxYield(), metrics.getIfAvailable(() -> BatchMetrics.NONE));
		backgroundHolds.setBorrowCheck(gate::beforeBorrow);
		return gate;
	}

	@Bean
	@ConditionalOnMissingBean
	StepExecutions poolGuardStepExecutions(ChunkGate poolGuardChunkGate) {
		return new StepExecutions(poolGuardChunkGate);
	}

	@Bean
	@ConditionalOnMissingBean
	StepGovernor poolGuardStepGovernor(ChunkGate poolGuardChunkGate, StepExecutions poolGuardStepExecutions) {
		return new StepGovernor(poolGuardChunkGate, poolGuardStepExecutions);
	}

	@Bean
	@ConditionalOnBean(JobOperator.class)
	JobStopControls poolGuardJobStopControls(StepExecutions poolGuardStepExecutions, JobOperator jobOperator) {
		return new JobStopControls(poolGuardStepExecutions, jobOperator);
	}

	// the chunk gate sees what each step's thread holds outside its chunks through the routing
	// data source, which counts the background connections each thread holds
	@Bean
	static BeanPostProcessor poolGuardBackgroundHoldsPostProcessor(ObjectProvider<BackgroundHolds> holds) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof GovernedRoutingDataSource routing) {
					routing.setBackgroundHolds(holds.getIfAvailable());
				}
				return bean;
			}

		};
	}

	@Bean
	static BeanPostProcessor poolGuardSpringBatchStepPostProcessor(ObjectProvider<StepGovernor> governor) {
		return new SpringBatchStepPostProcessor(governor);
	}

}
