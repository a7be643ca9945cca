package io.github.poolguard.autoconfigure;

import java.time.Duration;

import io.github.poolguard.internal.routing.ScheduledWork;
import io.github.poolguard.internal.routing.ScheduledWorkDrain;
import io.github.poolguard.routing.BackgroundWork;
import io.github.poolguard.routing.BackgroundWorkAdvisor;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadTaskDecorator;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration that routes work on other threads by itself: everything a Spring task
 * scheduler runs is {@link ScheduledWork} ({@code poolguard.scheduling.workload}, background
 * by default), tasks handed to Boot's executors carry the submitting thread's
 * {@link Workload}, and {@link BackgroundWork @BackgroundWork} scopes methods declaratively.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@Import({ PoolGuardSchedulingAutoConfiguration.SchedulingConfiguration.class,
		PoolGuardSchedulingAutoConfiguration.BackgroundWorkConfiguration.class })
public final class PoolGuardSchedulingAutoConfiguration {

	/**
	 * Carries the workload into Boot's {@code applicationTaskExecutor} (and any executor built
	 * with Boot's builders), composed with the application's own {@code TaskDecorator} beans.
	 */
	@Bean
	@ConditionalOnMissingBean
	WorkloadTaskDecorator poolGuardWorkloadTaskDecorator() {
		return new WorkloadTaskDecorator();
	}

	@Configuration(proxyBeanMethods = false)
	static class SchedulingConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static ScheduledWorkDrain poolGuardScheduledWorkDrain(Environment environment) {
			return new ScheduledWorkDrain(Binder.get(environment)
				.bind("poolguard.batch.shutdown-grace-period", Duration.class)
				.orElse(Duration.ofSeconds(30)));
		}

		@Bean
		static BeanPostProcessor poolGuardScheduledWorkPostProcessor(Environment environment,
				ScheduledWorkDrain poolGuardScheduledWorkDrain) {
			return new ScheduledWorkPostProcessor(
					new ScheduledWork(scheduledWorkload(environment), poolGuardScheduledWorkDrain));
		}

		@Bean
		static UnboundedSchedulerWarning poolGuardUnboundedSchedulerWarning(ListableBeanFactory beanFactory,
				Environment environment) {
			return new UnboundedSchedulerWarning(beanFactory, scheduledWorkload(environment));
		}

		private static Workload scheduledWorkload(Environment environment) {
			return Binder.get(environment).bind("poolguard.scheduling.workload", Workload.class).orElse(Workload.BACKGROUND);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Advisor.class)
	@Import(AutoProxyRegistrar.class)
	static class BackgroundWorkConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static BackgroundWorkAdvisor poolGuardBackgroundWorkAdvisor() {
			return new BackgroundWorkAdvisor();
		}

	}

}
