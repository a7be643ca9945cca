package io.github.poolguard.internal.fleet;

import java.util.List;
import java.util.Map;

/**
 * What the fleet's division needs from one sample of the server.
 *
 * @param usable connections the application may use: {@code max_connections} less the reserved
 * ones and {@code poolguard.budget.reserved-connections}
 * @param inUse client sessions on the server now, of every application
 * @param otherClients sessions that belong to no instance of this application
 * @param instances this application's instance ids, the longest connected first
 * @param published by instance id, the connections that instance's pools may hold now, as it
 * says on the server; missing for an instance that says nothing
 */
public record FleetView(int usable, int inUse, int otherClients, List<String> instances,
		Map<String, Integer> published) {

	/**
	 * Keep unmodifiable copies.
	 */
	public FleetView {
		instances = List.copyOf(instances);
		published = Map.copyOf(published);
	}

	/**
	 * Return this instance's place in the fleet, counting it last when the server does not show
	 * it yet.
	 * @param self this instance's id
	 * @return the position, 0 for the longest connected
	 */
	public int positionOf(String self) {
		int position = this.instances.indexOf(self);
		return (position >= 0) ? position : this.instances.size();
	}

	/**
	 * Return whether an instance serves, by what it says on the server: an instance that says
	 * its pools may hold nothing is starting or out of service; one that says nothing (its
	 * monitor's query text is hidden from this role, or it runs an older PoolGuard) is taken to
	 * serve, since it may hold connections.
	 * @param instance the instance's id
	 * @return {@code true} unless it says its pools hold nothing
	 */
	public boolean serving(String instance) {
		Integer pools = this.published.get(instance);
		return pools == null || pools > 0;
	}

	/**
	 * Return how many instances share the server, counting this one.
	 * @param self this instance's id
	 * @return the number of instances
	 */
	public int instancesWith(String self) {
		return this.instances.contains(self) ? this.instances.size() : this.instances.size() + 1;
	}

}
