package io.github.poolguard.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.metrics.PgBouncerMetrics;
import io.github.poolguard.internal.metrics.PoolGuardMetrics;
import io.github.poolguard.internal.metrics.ReplicaLagMetrics;
import io.github.poolguard.internal.monitor.ReplicaLagReader;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.pgbouncer.PgBouncerConsole;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.GuardedLogins;
import io.github.poolguard.routing.BackgroundPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * logins the server refused, and PgBouncer's pools.
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
	MeterBinder poolGuardRefusedLoginsMetrics(GovernedAppPool appPool, @BackgroundPool HikariDataSource backgroundPool) {
		HikariDataSource app = GovernedAppPool.unwrapHikari(appPool.pool());
		return (registry) -> {
			if (app != null) {
				refusedLogins(registry, ConnectionNames.APP, app);
			}
			refusedLogins(registry, ConnectionNames.BACKGROUND, backgroundPool);
		};
	}

	private static void refusedLogins(MeterRegistry registry, String pool, HikariDataSource dataSource) {
		FunctionCounter.builder("poolguard.connections.refused", dataSource, GuardedLogins::refusalsOf)
			.description("Logins the server refused the pool for want of a connection slot (SQLSTATE 53300)")
			.tag("pool", pool)
			.register(registry);
	}

	@Bean
	@ConditionalOnBean(ReplicaLagReader.class)
	@ConditionalOnMissingBean
	ReplicaLagMetrics poolGuardReplicaLagMetrics(ReplicaLagReader reader) {
		return new ReplicaLagMetrics(reader);
	}

	@Bean
	@ConditionalOnBean(PgBouncerConsole.class)
	@ConditionalOnMissingBean
	PgBouncerMetrics poolGuardPgBouncerMetrics(PgBouncerConsole console) {
		return new PgBouncerMetrics(console);
	}

}
