package io.github.poolguard.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The one {@link DataSource} an application sees: it hands out connections from the app pool
 * or the background pool according to the calling thread's {@link Workload}.
 */
public class WorkloadRoutingDataSource extends AbstractRoutingDataSource {

	private final DataSource appPool;

	private final DataSource backgroundPool;

	private volatile @Nullable ConnectionDecorator connectionDecorator;

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

	/**
	 * Set what decorates each connection handed out, such as holder tracking.
	 * @param connectionDecorator the decorator, or {@code null} for none
	 */
	public void setConnectionDecorator(@Nullable ConnectionDecorator connectionDecorator) {
		this.connectionDecorator = connectionDecorator;
	}

	@Override
	public Connection getConnection() throws SQLException {
		Workload workload = Workload.current();
		return decorate(workload, getPool(workload).getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		Workload workload = Workload.current();
		return decorate(workload, getPool(workload).getConnection(username, password));
	}

	private Connection decorate(Workload workload, Connection connection) {
		ConnectionDecorator decorator = this.connectionDecorator;
		return (decorator != null) ? decorator.decorate(workload, connection) : connection;
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
