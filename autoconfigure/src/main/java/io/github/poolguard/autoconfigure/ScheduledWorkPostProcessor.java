package io.github.poolguard.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;

import io.github.poolguard.internal.routing.ScheduledWork;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.ReflectionUtils;

/**
 * Makes every {@link TaskScheduler} bean run its tasks as {@link ScheduledWork}: Boot's
 * auto-configured scheduler (platform or virtual threads) and the application's own. Spring's
 * schedulers ({@code ThreadPoolTaskScheduler}, {@code SimpleAsyncTaskScheduler},
 * {@code ConcurrentTaskScheduler}) take one task decorator; ours is composed inside the one
 * already set, so an application's decorator keeps working around it.
 */
final class ScheduledWorkPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ScheduledWorkPostProcessor.class);

	private final ScheduledWork scheduledWork;

	ScheduledWorkPostProcessor(ScheduledWork scheduledWork) {
		this.scheduledWork = scheduledWork;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof TaskScheduler) {
			decorate(bean, beanName);
		}
		return bean;
	}

	private void decorate(Object scheduler, String beanName) {
		Method setter = ReflectionUtils.findMethod(scheduler.getClass(), "setTaskDecorator", TaskDecorator.class);
		// The schedulers have a setter but no getter: the decorator already set (by Boot's
		// builder or the application) is read from the field so that both apply.
		Field field = ReflectionUtils.findField(scheduler.getClass(), "taskDecorator", TaskDecorator.class);
		if (setter == null || field == null) {
			logger.warn("PoolGuard: task scheduler '" + beanName + "' (" + scheduler.getClass().getName()
					+ ") takes no TaskDecorator, so its tasks do not run as " + this.scheduledWork.getWorkload()
					+ " (poolguard.scheduling.workload); wrap them with Workload." + this.scheduledWork.getWorkload()
					+ ".wrap(...) or use a ThreadPoolTaskScheduler");
			return;
		}
		ReflectionUtils.makeAccessible(field);
		@Nullable TaskDecorator existing = (TaskDecorator) ReflectionUtils.getField(field, scheduler);
		TaskDecorator decorator = (existing != null)
				? new CompositeTaskDecorator(List.of(this.scheduledWork, existing)) : this.scheduledWork;
		ReflectionUtils.invokeMethod(setter, scheduler, decorator);
	}

}
