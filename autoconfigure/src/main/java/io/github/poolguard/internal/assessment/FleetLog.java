package io.github.poolguard.internal.assessment;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import io.github.poolguard.internal.budget.ServerBudget;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Logs one line each time the number of this application's instances seen on the server
 * changes: WARN with the fleet arithmetic while more instances are connected than the budget was
 * checked for ({@code poolguard.budget.instances}) or they overcommit the server, INFO otherwise.
 */
public final class FleetLog {

	private static final Log logger = LogFactory.getLog(FleetLog.class);

	private final int expected;

	private final IntFunction<@Nullable ServerBudget> budgets;

	private final boolean pgBouncer;

	private int lastCount = -1;

	private volatile BooleanSupplier sharing = () -> false;

	/**
	 * Create a log.
	 * @param expected the instances the budget was checked for
	 * @param budgets the budget for a number of instances, or {@code null} when there is none
	 * @param pgBouncer whether the pools go through a transaction-pooling PgBouncer
	 */
	public FleetLog(int expected, IntFunction<@Nullable ServerBudget> budgets, boolean pgBouncer) {
		this.expected = expected;
		this.budgets = budgets;
		this.pgBouncer = pgBouncer;
	}

	/**
	 * Tell whether the fleet shares the server ({@code poolguard.fleet.sharing}): the pools are
	 * then sized to fit, and configured sizes that do not fit are no warning.
	 * @param sharing whether the fleet shares the server now
	 */
	public void sharingWhen(BooleanSupplier sharing) {
		this.sharing = sharing;
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
		ServerBudget fleet = this.budgets.apply(count);
		boolean overcommitted = fleet != null && fleet.isOvercommitted() && !this.sharing.getAsBoolean();
		if (count > this.expected || overcommitted) {
			logger.warn("PoolGuard: " + MonitoredConnectionsAssessment.fleetSentence(ids, this.expected,
					(fleet != null) ? fleet.explain() : "", overcommitted, this.pgBouncer));
		}
		else if (!first || count > 1) {
			logger.info("PoolGuard: " + count + " instance(s) of this application are connected to the server " + ids
					+ " (poolguard.budget.instances is " + this.expected + ").");
		}
	}

}
