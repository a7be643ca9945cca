package io.github.poolguard.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.util.function.SingletonSupplier;

/**
 * The one {@link DataSource} an application sees: it hands out connections from the app pool
 * or the background pool according to the calling thread's {@link Workload}. It stands in for
 * the application's own {@code DataSource} bean and closes the app pool with it. The one
 * PoolGuard builds around the application's pool also tracks, counts and admits each borrow;
 * one an application builds itself only routes.
 */
public class WorkloadRoutingDataSource extends AbstractRoutingDataSource implements AutoCloseable {

	private final DataSource appPool;

	private final Supplier<DataSource> backgroundPool;

	/**
	 * Create a routing data source over the two pools.
	 * @param appPool the pool for {@link Workload#APP}
	 * @param backgroundPool the pool for {@link Workload#BACKGROUND}
	 */
	public WorkloadRoutingDataSource(DataSource appPool, DataSource backgroundPool) {
		this(appPool, () -> backgroundPool);
	}

	/**
	 * Create a routing data source whose background pool is looked up when first needed, for
	 * a background pool that is derived from the app pool and so can only exist after it.
	 * @param appPool the pool for {@link Workload#APP}
	 * @param backgroundPool supplies the pool for {@link Workload#BACKGROUND}
	 */
	public WorkloadRoutingDataSource(DataSource appPool, Supplier<DataSource> backgroundPool) {
		this.appPool = appPool;
		this.backgroundPool = SingletonSupplier.of(backgroundPool);
		setTargetDataSources(Map.of(Workload.APP, appPool));
		setLenientFallback(false);
		afterPropertiesSet();
	}

	/**
	 * Return the pool that serves the given workload.
	 * @param workload the workload
	 * @return its pool
	 */
	public DataSource getPool(Workload workload) {
		return (workload == Workload.BACKGROUND) ? this.backgroundPool.get() : this.appPool;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return getPool(Workload.current()).getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return getPool(Workload.current()).getConnection(username, password);
	}

	/**
	 * Close the app pool, as closing the application's {@code DataSource} bean would have. The
	 * background pool closes on its own.
	 * @throws Exception if the app pool fails to close
	 */
	@Override
	public void close() throws Exception {
		if (this.appPool instanceof AutoCloseable closeable) {
			closeable.close();
		}
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
