package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.metrics.PgBouncerMetrics;
import io.github.poolguard.internal.metrics.PoolGuardMetrics;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.pgbouncer.PgBouncerConsole;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for PoolGuard's meters: the server sample, held connections and leaks,
 * and PgBouncer's pools.
 */
@AutoConfiguration(after = { PoolGuardMonitorAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(GovernedAppPool.class)
public final class PoolGuardMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PoolGuardMetrics poolGuardMetrics(ObjectProvider<ServerMonitor> monitor,
			ObjectProvider<ConnectionHolders> holders) {
		ServerMonitor serverMonitor = monitor.getIfAvailable();
		return new PoolGuardMetrics((serverMonitor != null && serverMonitor.getOffReason() == null)
				? serverMonitor : null, holders.getIfAvailable());
	}

	@Bean
	@ConditionalOnBean(PgBouncerConsole.class)
	@ConditionalOnMissingBean
	PgBouncerMetrics poolGuardPgBouncerMetrics(PgBouncerConsole console) {
		return new PgBouncerMetrics(console);
	}

}
