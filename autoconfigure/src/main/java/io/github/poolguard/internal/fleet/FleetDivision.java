package io.github.poolguard.internal.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * Divides the server's usable connections among the instances of one application. Every
 * instance runs the same division on the same readings, so they agree without talking to each
 * other.
 * <p>
 * Every instance on the server holds its fixed connections (its monitor, pools PoolGuard does not
 * size) whether it serves or waits, so they come off the top. Serving instances keep at least
 * their pools' floor, even when the room is short (a crowded server never takes a running
 * instance out of service); starting instances get their floor, in the order their monitors
 * connected, while there is room. What is left goes to the admitted instances' app pools up to
 * their configured maximum, then to their background pools. Nobody gets more than it configured,
 * and the shares together never exceed what is available unless the serving instances' floors
 * alone do.
 */
final class FleetDivision {

	/**
	 * Said in a share's arithmetic when the serving instances' floors alone exceed what is
	 * available.
	 */
	static final String FLOORS_KEPT = "keep their floor";

	private FleetDivision() {
	}

	/**
	 * Work out one instance's share.
	 * @param usable the connections the application may use on the server: {@code
	 * max_connections} less the reserved ones and the ones kept free
	 * @param otherClients sessions on the server that belong to no instance of the application
	 * (other services, operators): they keep their room
	 * @param serving for every instance in the order every instance agrees on (the longest
	 * running first), whether it serves now
	 * @param position this instance's place in that order
	 * @param demand what one instance asks for
	 * @return this instance's share
	 */
	static FleetShare divide(int usable, int otherClients, List<Boolean> serving, int position,
			InstanceDemand demand) {
		int count = Math.max(1, serving.size());
		if (position < 0 || position >= count) {
			throw new IllegalArgumentException("position " + position + " is not among " + count + " instances");
		}
		long available = Math.max(0L, (long) usable - Math.max(0, otherClients));
		long forPools = available - (long) count * demand.fixed();
		// serving instances first, then the starting ones, each in the agreed order
		List<Integer> order = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			if (i < serving.size() && serving.get(i)) {
				order.add(i);
			}
		}
		int servingCount = order.size();
		for (int i = 0; i < count; i++) {
			if (!(i < serving.size() && serving.get(i))) {
				order.add(i);
			}
		}
		long roomForStarting = Math.max(0L, forPools - (long) servingCount * demand.poolFloor());
		int admitted = (int) Math.min(count, servingCount + roomForStarting / demand.poolFloor());
		int rank = order.indexOf(position);
		StringBuilder arithmetic = new StringBuilder();
		arithmetic.append(available).append(" available = ").append(usable).append(" usable − ").append(otherClients)
			.append(" held by other clients; ").append(count).append(count == 1 ? " instance" : " instances");
		if (rank >= admitted) {
			arithmetic.append(", floor ").append(demand.floor()).append(" each (").append(explainFloor(demand))
				.append("): room for ").append(admitted).append(", this instance is number ").append(rank + 1);
			return new FleetShare(count, position, (int) Math.min(available, Integer.MAX_VALUE), 0, 0,
					arithmetic.toString());
		}
		long rest = Math.max(0L, forPools - (long) admitted * demand.poolFloor());
		int app = demand.appFloor() + take(rest, admitted, rank, demand.appMax() - demand.appFloor());
		rest = Math.max(0L, rest - (long) admitted * (demand.appMax() - demand.appFloor()));
		int background = demand.backgroundFloor()
				+ take(rest, admitted, rank, demand.backgroundMax() - demand.backgroundFloor());
		if (admitted == count && app == demand.appMax() && background == demand.backgroundMax()) {
			arithmetic.append(" × ").append(demand.configured()).append(" configured (app ").append(demand.appMax())
				.append(" + background ").append(demand.backgroundMax()).append(" + ").append(demand.fixed())
				.append(" fixed) = ").append((long) count * demand.configured()).append(" fit");
		}
		else {
			arithmetic.append(" × ").append(demand.configured()).append(" configured = ")
				.append((long) count * demand.configured()).append(" do not fit; this instance (number ")
				.append(rank + 1).append(") gets app ").append(app).append(" of ").append(demand.appMax())
				.append(" + background ").append(background).append(" of ").append(demand.backgroundMax())
				.append(" + ").append(demand.fixed()).append(" fixed");
			if (forPools < (long) servingCount * demand.poolFloor()) {
				arithmetic.append("; the ").append(servingCount).append(" serving instance(s) ").append(FLOORS_KEPT).append(" of ")
					.append(demand.floor()).append(" although only ").append(available).append(" are available");
			}
		}
		return new FleetShare(count, position, (int) Math.min(available, Integer.MAX_VALUE), app, background,
				arithmetic.toString());
	}

	// An even split of what is left among the admitted instances, capped at what each may still
	// take; the first ones in the admission order take the remainder.
	private static int take(long rest, int admitted, int rank, int room) {
		if (room <= 0 || rest <= 0) {
			return 0;
		}
		long each = rest / admitted;
		long extra = (rank < rest % admitted) ? 1 : 0;
		return (int) Math.min(room, each + extra);
	}

	private static String explainFloor(InstanceDemand demand) {
		return "app " + demand.appFloor() + " + background " + demand.backgroundFloor() + " + " + demand.fixed()
				+ " fixed";
	}

}
