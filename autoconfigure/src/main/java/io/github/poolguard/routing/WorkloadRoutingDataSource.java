package io.github.poolguard.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.poolguard.internal.routing.BackgroundHolds;
import io.github.poolguard.internal.routing.ConnectionDecorator;
import io.github.poolguard.internal.routing.ConnectionGate;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.util.function.SingletonSupplier;

/**
 * The one {@link DataSource} an application sees: it hands out connections from the app pool
 * or the background pool according to the calling thread's {@link Workload}. It stands in for
 * the application's own {@code DataSource} bean and closes the app pool with it.
 */
public class WorkloadRoutingDataSource extends AbstractRoutingDataSource implements AutoCloseable {

	private final DataSource appPool;

	private final Supplier<DataSource> backgroundPool;

	private volatile @Nullable ConnectionDecorator connectionDecorator;

	private volatile @Nullable ConnectionGate connectionGate;

	private volatile @Nullable BackgroundHolds backgroundHolds;

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

	/**
	 * Set what decorates each connection handed out, such as holder tracking.
	 * @param connectionDecorator the decorator, or {@code null} for none
	 */
	public void setConnectionDecorator(@Nullable ConnectionDecorator connectionDecorator) {
		this.connectionDecorator = connectionDecorator;
	}

	/**
	 * Set what every request for a connection passes first, such as the fleet's admission of
	 * this instance.
	 * @param connectionGate the gate, or {@code null} for none
	 */
	public void setConnectionGate(@Nullable ConnectionGate connectionGate) {
		this.connectionGate = connectionGate;
	}

	/**
	 * Set what counts the background connections each thread holds, such as the Spring Batch
	 * chunk gate's view of what a step holds outside its chunks.
	 * @param backgroundHolds the counts, or {@code null} for none
	 */
	public void setBackgroundHolds(@Nullable BackgroundHolds backgroundHolds) {
		this.backgroundHolds = backgroundHolds;
	}

	@Override
	public Connection getConnection() throws SQLException {
		Workload workload = Workload.current();
		pass(workload);
		ConnectionDecorator decorator = this.connectionDecorator;
		if (decorator == null) {
			return counted(workload, getPool(workload).getConnection());
		}
		long requested = decorator.requestTime(workload);
		return counted(workload, decorator.decorate(workload, getPool(workload).getConnection(), requested));
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		Workload workload = Workload.current();
		pass(workload);
		ConnectionDecorator decorator = this.connectionDecorator;
		if (decorator == null) {
			return counted(workload, getPool(workload).getConnection(username, password));
		}
		long requested = decorator.requestTime(workload);
		return counted(workload,
				decorator.decorate(workload, getPool(workload).getConnection(username, password), requested));
	}

	// outermost, so that the count ends when the borrower closes, before the tracking does
	private Connection counted(Workload workload, Connection connection) {
		BackgroundHolds holds = this.backgroundHolds;
		return (holds != null && workload == Workload.BACKGROUND) ? holds.track(connection) : connection;
	}

	private void pass(Workload workload) throws SQLException {
		ConnectionGate gate = this.connectionGate;
		if (gate != null) {
			gate.pass(workload);
		}
		BackgroundHolds holds = this.backgroundHolds;
		if (holds != null && workload == Workload.BACKGROUND) {
			holds.beforeBorrow();
		}
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
