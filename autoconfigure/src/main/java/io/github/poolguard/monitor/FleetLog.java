package io.github.poolguard.monitor;

import java.util.List;
import java.util.function.IntFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs one line each time the number of this application's instances seen on the server
 * changes: WARN with the fleet arithmetic while more instances are connected than the budget was
 * checked for ({@code poolguard.budget.instances}) or they overcommit the server, INFO otherwise.
 */
public final class FleetLog {

	private static final Log logger = LogFactory.getLog(FleetLog.class);

	private final int expected;

	private final IntFunction<Arithmetic> arithmetic;

	private final boolean pgBouncer;

	private int lastCount = -1;

	/**
	 * Create a log.
	 * @param expected the instances the budget was checked for
	 * @param arithmetic the budget arithmetic for a number of instances
	 * @param pgBouncer whether the pools go through a transaction-pooling PgBouncer
	 */
	public FleetLog(int expected, IntFunction<Arithmetic> arithmetic, boolean pgBouncer) {
		this.expected = expected;
		this.arithmetic = arithmetic;
		this.pgBouncer = pgBouncer;
	}

	/**
	 * Take the instances now seen, logging a line when their number changed.
	 * @param ids the instance ids seen on the server
	 */
	public synchronized void instancesChanged(List<String> ids) {
		int count = ids.size();
		if (count == this.lastCount || count == 0) {
			return;
		}
		boolean first = this.lastCount < 0;
		this.lastCount = count;
		Arithmetic fleet = this.arithmetic.apply(count);
		if (count > this.expected || fleet.overcommitted()) {
			logger.warn("PoolGuard: " + ConnectionsOverview.fleetSentence(ids, this.expected, fleet.explanation(),
					fleet.overcommitted(), this.pgBouncer));
		}
		else if (!first || count > 1) {
			logger.info("PoolGuard: " + count + " instance(s) of this application are connected to the server " + ids
					+ " (poolguard.budget.instances is " + this.expected + ").");
		}
	}

	/**
	 * The budget for a number of instances.
	 *
	 * @param explanation the arithmetic spelled out
	 * @param overcommitted whether the instances may open more than the server allows
	 */
	public record Arithmetic(String explanation, boolean overcommitted) {

	}

}
