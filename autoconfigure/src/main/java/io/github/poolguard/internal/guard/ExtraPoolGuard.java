package io.github.poolguard.internal.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;

/**
 * Reports connection pools in the context besides the ones PoolGuard governs. Each extra pool
 * opens its own connections against the server's budget, which is how a service with its
 * database client declared in three modules ends up with "sorry, too many clients already".
 * Default candidate or not, every such pool is reported, and its size given to the budget and
 * the health details.
 */
public class ExtraPoolGuard implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ExtraPoolGuard.class);

	private final ListableBeanFactory beanFactory;

	private final DataSourcePoolMetadataProvider metadataProvider;

	private final Set<String> governedBeanNames;

	private final boolean fail;

	private volatile @Nullable List<ExtraPool> found;

	/**
	 * Create a guard.
	 * @param beanFactory the factory to search
	 * @param metadataProvider tells pools from other data sources and gives their size
	 * @param governedBeanNames names of the pools PoolGuard governs (empty when PoolGuard backed
	 * off, in which case any second pool is reported)
	 * @param fail whether to fail startup instead of warning
	 */
	public ExtraPoolGuard(ListableBeanFactory beanFactory, DataSourcePoolMetadataProvider metadataProvider,
			Set<String> governedBeanNames, boolean fail) {
		this.beanFactory = beanFactory;
		this.metadataProvider = metadataProvider;
		this.governedBeanNames = governedBeanNames;
		this.fail = fail;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<ExtraPool> extra = getExtraPools();
		if (extra.isEmpty()) {
			return;
		}
		String message = describe(extra);
		if (this.fail) {
			throw new ExtraPoolsException(message, extra);
		}
		logger.warn(message + " Set poolguard.guard.extra-pools=fail to stop startup instead.");
	}

	/**
	 * Return the pools in the context that PoolGuard does not govern, found on the first call
	 * once every singleton exists.
	 * @return the extra pools
	 */
	public List<ExtraPool> getExtraPools() {
		List<ExtraPool> pools = this.found;
		if (pools == null) {
			pools = List.copyOf(findExtraPools());
			this.found = pools;
		}
		return pools;
	}

	/**
	 * Return the pools in the context that PoolGuard does not govern, searching now. When it governs none,
	 * the first pool is taken as the application's and the others are extra.
	 * @return the extra pools
	 */
	public List<ExtraPool> findExtraPools() {
		List<ExtraPool> pools = new ArrayList<>();
		Map<String, DataSource> dataSources = this.beanFactory.getBeansOfType(DataSource.class, false, false);
		dataSources.forEach((name, dataSource) -> {
			if (this.governedBeanNames.contains(name)) {
				return;
			}
			DataSourcePoolMetadata metadata = this.metadataProvider.getDataSourcePoolMetadata(dataSource);
			if (metadata != null) {
				pools.add(new ExtraPool(name, dataSource.getClass().getSimpleName(), metadata.getMax(), dataSource));
			}
		});
		if (this.governedBeanNames.isEmpty() && !pools.isEmpty()) {
			pools.remove(0);
		}
		return pools;
	}

	private String describe(List<ExtraPool> extra) {
		String owner = this.governedBeanNames.isEmpty() ? "the application's first pool"
				: "PoolGuard's app and background pools";
		return "PoolGuard found " + extra.size() + " connection pool(s) besides " + owner + ": "
				+ String.join(", ", extra.stream().map(ExtraPool::toString).toList())
				+ ". Each opens its own connections against the server's max_connections. Remove them and inject the"
				+ " one DataSource (use Workload.BACKGROUND for batch work).";
	}

}
