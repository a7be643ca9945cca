package io.github.poolguard.internal.routing;

import java.sql.Connection;

import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;

/**
 * Decorates each connection the {@link WorkloadRoutingDataSource} hands out, for instance to
 * track who holds it. Called on the borrowing thread for every borrow: keep it cheap.
 */
@FunctionalInterface
public interface ConnectionDecorator {

	/**
	 * Return a reading to take when the borrower asks for a connection, before the pool is
	 * asked, handed back to {@link #decorate}. Called on the borrowing thread for every borrow.
	 * @param workload the workload whose pool will be asked
	 * @return by default {@link System#nanoTime()}; a decorator may return a cheaper reading of
	 * its own, which only it interprets
	 */
	default long requestTime(Workload workload) {
		return System.nanoTime();
	}

	/**
	 * Return the connection to hand out in place of the one borrowed.
	 * @param workload the workload whose pool served the connection
	 * @param connection the connection borrowed from that pool
	 * @param requestTime what {@link #requestTime} returned when the borrower asked for it, so
	 * that the time spent waiting for the pool can be told apart from the time it is held
	 * @return the connection to hand out; closing it must close the borrowed one
	 */
	Connection decorate(Workload workload, Connection connection, long requestTime);

}
