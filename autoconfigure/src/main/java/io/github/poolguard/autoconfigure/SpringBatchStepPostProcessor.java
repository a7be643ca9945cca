package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.springbatch.StepGovernor;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.ListableStepLocator;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Governs every Spring Batch step in the context: step beans, and the steps of job beans (a
 * step built inline inside a job's {@code @Bean} method is no bean of its own). Runs after
 * initialisation, when Spring Batch's builders have set the step up. The governor is looked up
 * on the first step, so this post-processor pulls no pool or pressure source into existence
 * early.
 */
final class SpringBatchStepPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<StepGovernor> governor;

	SpringBatchStepPostProcessor(ObjectProvider<StepGovernor> governor) {
		this.governor = governor;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof Step step) {
			this.governor.getObject().govern(step);
		}
		else if (bean instanceof Job && bean instanceof ListableStepLocator locator) {
			StepGovernor governor = this.governor.getObject();
			for (String name : locator.getStepNames()) {
				governor.govern(locator.getStep(name));
			}
		}
		return bean;
	}

}
