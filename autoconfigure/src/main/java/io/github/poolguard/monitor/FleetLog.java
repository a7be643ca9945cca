package io.github.poolguard.monitor;

import java.util.List;

import io.github.poolguard.budget.ConnectionBudget;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs one line each time the number of this application's instances seen on the server
 * changes: WARN with the fleet arithmetic while more instances are connected than the budget was
 * checked for ({@code poolguard.budget.instances}), INFO otherwise.
 */
public final class FleetLog {

	private static final Log logger = LogFactory.getLog(FleetLog.class);

	private final ConnectionBudget budget;

	private int lastCount = -1;

	/**
	 * Create a log.
	 * @param budget the budget checked at startup
	 */
	public FleetLog(ConnectionBudget budget) {
		this.budget = budget;
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
		ConnectionBudget fleet = this.budget.withInstances(count);
		if (count > this.budget.instances() || fleet.isOvercommitted()) {
			logger.warn("PoolGuard: " + ConnectionsOverview.fleetSentence(ids, this.budget.instances(), fleet.explain(),
					fleet.isOvercommitted(), false));
		}
		else if (!first || count > 1) {
			logger.info("PoolGuard: " + count + " instance(s) of this application are connected to the server " + ids
					+ " (poolguard.budget.instances is " + this.budget.instances() + ").");
		}
	}

}
