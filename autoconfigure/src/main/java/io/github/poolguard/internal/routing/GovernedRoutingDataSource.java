package io.github.poolguard.internal.routing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link WorkloadRoutingDataSource} PoolGuard builds around the application's pool: every
 * borrow passes the {@link ConnectionGate} first, is decorated by the
 * {@link ConnectionDecorator} and, on the background pool, counted by the
 * {@link BackgroundHolds}. Each hook is optional and set by the auto-configuration that owns it.
 */
public class GovernedRoutingDataSource extends WorkloadRoutingDataSource {

	private volatile @Nullable ConnectionDecorator connectionDecorator;

	private volatile @Nullable ConnectionGate connectionGate;

	private volatile @Nullable BackgroundHolds backgroundHolds;

	/**
	 * Create a routing data source over the two pools.
	 * @param appPool the pool for {@link Workload#APP}
	 * @param backgroundPool the pool for {@link Workload#BACKGROUND}
	 */
	public GovernedRoutingDataSource(DataSource appPool, DataSource backgroundPool) {
		super(appPool, backgroundPool);
	}

	/**
	 * Create a routing data source whose background pool is looked up when first needed.
	 * @param appPool the pool for {@link Workload#APP}
	 * @param backgroundPool supplies the pool for {@link Workload#BACKGROUND}
	 */
	public GovernedRoutingDataSource(DataSource appPool, Supplier<DataSource> backgroundPool) {
		super(appPool, backgroundPool);
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

}
