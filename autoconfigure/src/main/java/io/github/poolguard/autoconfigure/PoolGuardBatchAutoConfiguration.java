package io.github.poolguard.autoconfigure;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.actuate.BatchRunControls;
import io.github.poolguard.actuate.BatchRunDescriptor;
import io.github.poolguard.actuate.BatchRuns;
import io.github.poolguard.batch.BatchClaims;
import io.github.poolguard.batch.BatchMetrics;
import io.github.poolguard.batch.BatchOptions;
import io.github.poolguard.batch.BatchProgress;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.internal.batch.AdvisoryLockClaims;
import io.github.poolguard.internal.batch.MicrometerBatchMetrics;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ConnectionNaming;
import io.github.poolguard.internal.pool.PoolClosingLifecycle;
import io.github.poolguard.internal.pool.ServerConnector;
import io.github.poolguard.internal.pressure.AppLatencyPressure;
import io.github.poolguard.internal.pressure.AppPoolWaitersPressure;
import io.github.poolguard.pgbouncer.PgBouncerMode;
import io.github.poolguard.pressure.PressureSource;
import io.github.poolguard.routing.BackgroundPool;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for the {@link ThrottlingExecutor} that runs batch work on PoolGuard's
 * background pool.
 */
@AutoConfiguration(after = PoolGuardAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(GovernedAppPool.class)
public final class PoolGuardBatchAutoConfiguration {

	/**
	 * Name of the {@link AsyncTaskExecutor} view of the executor, for
	 * {@code @Async("poolGuardBatchExecutor")}.
	 */
	public static final String TASK_EXECUTOR_BEAN_NAME = "poolGuardBatchExecutor";

	/**
	 * Phase in which the background pool closes: right after the executor drains, before the web
	 * server's graceful shutdown.
	 */
	static final int BACKGROUND_POOL_CLOSE_PHASE = Integer.MAX_VALUE - 1;

	/**
	 * The role in the {@code application_name} of the connection that holds an exclusive batch
	 * run's claim.
	 */
	static final String CLAIM_CONNECTION_ROLE = ConnectionNames.CLAIM;

	private static final DoubleSupplier FULL_PACE = () -> 1.0;

	@Bean
	@ConditionalOnMissingBean
	AppPoolWaitersPressure appPoolWaitersPressure(GovernedAppPool appPool) {
		return new AppPoolWaitersPressure(appPool.hikari());
	}

	@Bean
	@ConditionalOnMissingBean
	ThrottlingExecutor throttlingExecutor(PoolGuardProperties properties,
			@BackgroundPool HikariDataSource backgroundPool, ObjectProvider<PressureSource> pressureSources,
			ObjectProvider<BatchMetrics> metrics, GovernedAppPool appPool, ConnectionNaming naming,
			ObjectProvider<AppLatencyPressure> appLatency, ListableBeanFactory beans) {
		PoolGuardProperties.Batch batch = properties.getBatch();
		BatchOptions defaults = new BatchOptions(batch.getMaxConcurrency(), batch.getChunkSize(),
				batch.getDelayBetweenChunks(), batch.getMaxAttempts(), batch.getInitialBackoff(), batch.isYieldToApp(),
				false, batch.getPacing());
		SingletonSupplier<List<PressureSource>> sources = SingletonSupplier
			.of(() -> pressureSources.orderedStream().toList());
		// latency pacing's pace when it is on (PoolGuardAppExperienceAutoConfiguration), looked up
		// like the pressure sources when first read, once every bean exists; full pace without it
		SingletonSupplier<DoubleSupplier> pace = SingletonSupplier.of(() -> {
			AppLatencyPressure latency = appLatency.getIfAvailable();
			return (latency != null) ? latency::pace : FULL_PACE;
		});
		// a run's slow start ramps while the app is within tolerance and waits while it is past
		SingletonSupplier<LongSupplier> calm = SingletonSupplier.of(() -> {
			AppLatencyPressure latency = appLatency.getIfAvailable();
			return (latency != null) ? latency::calmNanos : System::nanoTime;
		});
		return ThrottlingExecutor.builder(defaults)
			.maxConcurrency(batch.getMaxConcurrency())
			.queueCapacity(batch.getQueueCapacity())
			.shutdownGracePeriod(batch.getShutdownGracePeriod())
			.pressureSources(sources)
			.metrics(metrics.getIfAvailable(() -> BatchMetrics.NONE))
			.maxDatabaseSteps(backgroundPool.getMaximumPoolSize())
			.claims(claims(properties, appPool.hikari(), naming))
			.maxYield(batch.getMaxYield())
			.pace(() -> pace.obtain().getAsDouble())
			// a slow start answers the latency signal's delay: none without the signal (the bean is
			// only named here, not created: it is looked up once every bean exists, above)
			.slowStart((beans.getBeanNamesForType(AppLatencyPressure.class, true, false).length > 0)
					? batch.getSlowStart() : Duration.ZERO, () -> calm.obtain().getAsLong())
			.build();
	}

	// Exclusive runs hold a session advisory lock, which needs a real server session: the
	// direct monitor URL behind a transaction-pooling PgBouncer, else the app pool's URL.
	private static @Nullable BatchClaims claims(PoolGuardProperties properties, HikariDataSource appPool,
			ConnectionNaming naming) {
		ServerConnector connector = ServerConnector.of(appPool, naming.of(CLAIM_CONNECTION_ROLE));
		if (!connector.isPostgres()) {
			return null;
		}
		if (properties.getPgbouncer().getMode() == PgBouncerMode.TRANSACTION) {
			String url = properties.getMonitor().getUrl();
			if (!StringUtils.hasText(url)) {
				return (name) -> {
					throw new SQLException("Exclusive batch runs behind PgBouncer in transaction mode need a direct"
							+ " server session for their lock: set poolguard.monitor.url to the server's own URL");
				};
			}
			connector = connector.withUrl(url);
		}
		return new AdvisoryLockClaims(connector, naming.application());
	}

	@Bean(name = TASK_EXECUTOR_BEAN_NAME, defaultCandidate = false)
	AsyncTaskExecutor poolGuardBatchExecutor(ThrottlingExecutor throttlingExecutor) {
		return throttlingExecutor.asTaskExecutor();
	}

	@Bean
	BatchRuns poolGuardBatchRuns(ThrottlingExecutor throttlingExecutor) {
		return () -> throttlingExecutor.getRuns().stream().map((progress) -> {
			BatchRun<?> active = throttlingExecutor.findActiveRun(progress.name());
			// while it runs: the items its pacing allows now (the pace, its slow start)
			return describe(progress, (active != null) ? active.getConcurrency() : 0,
					(active != null) ? Map.of("yields", progress.yields(), "itemsAllowed", active.getItemsAllowed())
							: Map.of("yields", progress.yields()));
		}).toList();
	}

	@Bean
	BatchRunControls poolGuardBatchRunControls(ThrottlingExecutor throttlingExecutor) {
		return (name, action, concurrency, actor) -> {
			BatchRun<?> run = throttlingExecutor.findActiveRun(name);
			if (run == null) {
				return null;
			}
			switch (action) {
				case PAUSE -> run.pause(actor);
				case RESUME -> run.resume(actor);
				case CANCEL -> run.cancel(actor);
				case CONCURRENCY -> run.setConcurrency((concurrency != null) ? concurrency : run.getConcurrency(), actor);
			}
			return describe(run.progress(), run.getConcurrency());
		};
	}

	private static BatchRunDescriptor describe(BatchProgress run, int concurrency) {
		return describe(run, concurrency, Map.of());
	}

	private static BatchRunDescriptor describe(BatchProgress run, int concurrency, Map<String, Object> details) {
		return new BatchRunDescriptor(run.name(), run.state().name(), run.done(), run.total(), run.failed(),
				run.retries(), run.rate(), run.eta(), concurrency, details);
	}

	@Bean
	PoolClosingLifecycle poolGuardBackgroundPoolClosing(@BackgroundPool HikariDataSource backgroundPool) {
		return new PoolClosingLifecycle(backgroundPool, BACKGROUND_POOL_CLOSE_PHASE);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BatchMetrics poolGuardBatchMetrics(MeterRegistry registry) {
			return new MicrometerBatchMetrics(registry);
		}

	}

}
