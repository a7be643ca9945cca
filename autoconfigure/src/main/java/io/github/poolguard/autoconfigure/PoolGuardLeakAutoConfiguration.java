package io.github.poolguard.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.housekeeping.Housekeeping;
import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.routing.GovernedRoutingDataSource;
import io.github.poolguard.routing.Workload;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for holder tracking: who holds each borrowed connection, and leak reports
 * for connections held past {@code poolguard.leak.threshold}, checked on the one scheduler.
 */
@AutoConfiguration(after = PoolGuardMonitorAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "poolguard.leak.enabled", matchIfMissing = true)
@ConditionalOnBean({ GovernedAppPool.class, Housekeeping.class })
@EnableConfigurationProperties(PoolGuardProperties.class)
public final class PoolGuardLeakAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ConnectionHolders poolGuardConnectionHolders(PoolGuardProperties properties, Housekeeping housekeeping) {
		ConnectionHolders holders = new ConnectionHolders(properties.getLeak().getThreshold(),
				properties.getLeak().getBackgroundThreshold(), properties.getLeak().isCaptureStack());
		// started and stopped by the context's lifecycle, on the one scheduler
		holders.scheduleOn(housekeeping);
		return holders;
	}

	@Bean
	static BeanPostProcessor poolGuardHolderTrackingPostProcessor(ObjectProvider<ConnectionHolders> holders) {
		return new HolderTrackingPostProcessor(holders);
	}

	/**
	 * Gives the routing data source a decorator that tracks every borrowed connection's holder.
	 */
	static final class HolderTrackingPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<ConnectionHolders> holders;

		HolderTrackingPostProcessor(ObjectProvider<ConnectionHolders> holders) {
			this.holders = holders;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof GovernedRoutingDataSource routing) {
				ConnectionHolders holders = this.holders.getIfAvailable();
				if (holders != null) {
					// pool names are read per connection: the background pool exists only after this bean
					routing.setConnectionDecorator(holders.decorator((workload) -> poolName(routing.getPool(workload),
							(workload == Workload.BACKGROUND) ? ConnectionNames.BACKGROUND : ConnectionNames.APP)));
				}
			}
			return bean;
		}

		private static String poolName(DataSource pool, String fallback) {
			return (pool instanceof HikariDataSource hikari && hikari.getPoolName() != null) ? hikari.getPoolName()
					: fallback;
		}

	}

}
