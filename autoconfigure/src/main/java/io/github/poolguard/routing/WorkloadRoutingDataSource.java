package io.github.poolguard.routing;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The one {@link DataSource} an application sees: it hands out connections from the app pool
 * or the background pool according to the calling thread's {@link Workload}.
 */
public class WorkloadRoutingDataSource extends AbstractRoutingDataSource {

	private final DataSource appPool;

	private final DataSource backgroundPool;

	/**
	 * Create a routing data source over the two pools.
	 * @param appPool the pool for {@link Workload#APP}
	 * @param backgroundPool the pool for {@link Workload#BACKGROUND}
	 */
	public WorkloadRoutingDataSource(DataSource appPool, DataSource backgroundPool) {
		this.appPool = appPool;
		this.backgroundPool = backgroundPool;
		setTargetDataSources(Map.of(Workload.APP, appPool, Workload.BACKGROUND, backgroundPool));
		setLenientFallback(false);
		afterPropertiesSet();
	}

	/**
	 * Return the pool that serves the given workload.
	 * @param workload the workload
	 * @return its pool
	 */
	public DataSource getPool(Workload workload) {
		return (workload == Workload.BACKGROUND) ? this.backgroundPool : this.appPool;
	}

	@Override
	protected Object determineCurrentLookupKey() {
		return Workload.current();
	}

	@Override
	protected DataSource determineTargetDataSource() {
		return getPool(Workload.current());
	}

}
