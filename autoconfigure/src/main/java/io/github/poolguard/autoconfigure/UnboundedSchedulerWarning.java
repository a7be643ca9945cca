package io.github.poolguard.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

/**
 * Warns at startup about a task scheduler that starts scheduled runs without a concurrency
 * limit (the {@link SimpleAsyncTaskScheduler} Spring Boot uses with
 * {@code spring.threads.virtual.enabled=true}) next to the pool scheduled work borrows from: it
 * does not wait for a fixed-rate run that overran, so overlapping runs pile up on that pool's few
 * connections and batch work on the same pool waits behind them, for minutes, while nothing else
 * looks wrong. The warning names the property that bounds it.
 */
final class UnboundedSchedulerWarning implements SmartInitializingSingleton {

	static final String CONCURRENCY_LIMIT_PROPERTY = "spring.task.scheduling.simple.concurrency-limit";

	private static final Log logger = LogFactory.getLog(UnboundedSchedulerWarning.class);

	private final ListableBeanFactory beanFactory;

	private final Workload scheduledWorkload;

	UnboundedSchedulerWarning(ListableBeanFactory beanFactory, Workload scheduledWorkload) {
		this.beanFactory = beanFactory;
		this.scheduledWorkload = scheduledWorkload;
	}

	@Override
	public void afterSingletonsInstantiated() {
		HikariDataSource pool = scheduledWorkPool();
		if (pool == null) {
			return;
		}
		Map<String, SimpleAsyncTaskScheduler> schedulers = this.beanFactory
			.getBeansOfType(SimpleAsyncTaskScheduler.class, false, false);
		schedulers.forEach((name, scheduler) -> {
			if (scheduler.getConcurrencyLimit() < 0) {
				logger.warn(message(name, pool));
			}
		});
	}

	static String message(String schedulerName, HikariDataSource pool) {
		return "PoolGuard: task scheduler '" + schedulerName + "' (SimpleAsyncTaskScheduler, Spring Boot's scheduler"
				+ " with spring.threads.virtual.enabled=true) starts every scheduled run on a new thread with no"
				+ " concurrency limit and does not wait for a fixed-rate run that overran: overlapping runs pile up on"
				+ " pool '" + pool.getPoolName() + "' (max " + pool.getMaximumPoolSize() + " connections) and other"
				+ " work on it waits behind them. Bound it with " + CONCURRENCY_LIMIT_PROPERTY
				+ " (for example 1, or at most the pool's size; setConcurrencyLimit on a scheduler of your own).";
	}

	private @Nullable HikariDataSource scheduledWorkPool() {
		DataSource dataSource = this.beanFactory.getBeanProvider(DataSource.class).getIfUnique();
		if (!(dataSource instanceof WorkloadRoutingDataSource routing)) {
			return null;
		}
		return (routing.getPool(this.scheduledWorkload) instanceof HikariDataSource hikari) ? hikari : null;
	}

}
