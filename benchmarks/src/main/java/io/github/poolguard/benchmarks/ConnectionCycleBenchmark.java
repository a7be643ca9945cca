package io.github.poolguard.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.benchmarks.stub.StubDriver;
import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.routing.GovernedRoutingDataSource;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one connection cycle ({@code getConnection()} then {@code close()}) on a stub
 * driver, as in HikariCP's own benchmark: plain HikariCP as the baseline, PoolGuard's routing
 * data source without holder tracking, and with it (the default).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectionCycleBenchmark {

	private HikariDataSource plain;

	private HikariDataSource appPool;

	private HikariDataSource backgroundPool;

	private WorkloadRoutingDataSource routing;

	private GovernedRoutingDataSource tracked;

	private ConnectionHolders holders;

	@Setup(Level.Trial)
	public void setUp() throws SQLException {
		StubDriver.register();
		this.plain = pool("plain");
		this.appPool = pool("app");
		this.backgroundPool = pool("background");
		this.routing = new WorkloadRoutingDataSource(this.appPool, this.backgroundPool);
		this.tracked = new GovernedRoutingDataSource(this.appPool, this.backgroundPool);
		this.holders = new ConnectionHolders(Duration.ofSeconds(60), false);
		this.holders.start();
		this.tracked.setConnectionDecorator(
				this.holders.decorator((workload) -> (workload == Workload.BACKGROUND) ? "background" : "app"));
		this.plain.getConnection().close();
		this.appPool.getConnection().close();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.holders.close();
		this.plain.close();
		this.appPool.close();
		this.backgroundPool.close();
	}

	private static HikariDataSource pool(String name) {
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName(name);
		pool.setJdbcUrl(StubDriver.URL);
		pool.setDriverClassName(StubDriver.class.getName());
		pool.setMaximumPoolSize(32);
		pool.setMinimumIdle(32);
		pool.setConnectionTimeout(8000);
		return pool;
	}

	@Benchmark
	public Connection hikariPlain() throws SQLException {
		Connection connection = this.plain.getConnection();
		connection.close();
		return connection;
	}

	@Benchmark
	public Connection poolGuardRouting() throws SQLException {
		Connection connection = this.routing.getConnection();
		connection.close();
		return connection;
	}

	@Benchmark
	public Connection poolGuardRoutingWithHolderTracking() throws SQLException {
		Connection connection = this.tracked.getConnection();
		connection.close();
		return connection;
	}

}
