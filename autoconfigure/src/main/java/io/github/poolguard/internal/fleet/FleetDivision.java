package io.github.poolguard.internal.fleet;

/**
 * Divides the server's usable connections among the instances of one application. Every
 * instance runs the same division on the same readings, so they agree without talking to each
 * other: the longest-running instances are served first, each gets its fixed connections and
 * its floor while there is room, the rest goes to app pools up to their configured maximum, and
 * what is left after that to background pools. Nobody gets more than it configured.
 */
final class FleetDivision {

	private FleetDivision() {
	}

	/**
	 * Work out one instance's share.
	 * @param usable the connections the application may use on the server: {@code
	 * max_connections} less the reserved ones and the ones kept free
	 * @param otherClients sessions on the server that belong to no instance of the application
	 * (other services, operators): they keep their room
	 * @param instances how many instances share the server (at least this one)
	 * @param position this instance's place in the order every instance agrees on, 0 for the
	 * longest running
	 * @param demand what one instance asks for
	 * @return this instance's share
	 */
	public static FleetShare divide(int usable, int otherClients, int instances, int position, InstanceDemand demand) {
		int count = Math.max(1, instances);
		if (position < 0 || position >= count) {
			throw new IllegalArgumentException("position " + position + " is not among " + count + " instances");
		}
		long available = Math.max(0L, (long) usable - Math.max(0, otherClients));
		int admitted = (int) Math.min(count, available / demand.floor());
		StringBuilder arithmetic = new StringBuilder();
		arithmetic.append(available).append(" available = ").append(usable).append(" usable − ").append(otherClients)
			.append(" held by other clients; ").append(count).append(count == 1 ? " instance" : " instances");
		if (position >= admitted) {
			arithmetic.append(", floor ").append(demand.floor()).append(" each (").append(explainFloor(demand))
				.append("): room for ").append(admitted).append(", this instance is number ").append(position + 1);
			return new FleetShare(count, position, (int) Math.min(available, Integer.MAX_VALUE), 0, 0,
					arithmetic.toString());
		}
		long rest = available - (long) admitted * demand.floor();
		int app = demand.appFloor() + take(rest, admitted, position, demand.appMax() - demand.appFloor());
		rest = Math.max(0L, rest - (long) admitted * (demand.appMax() - demand.appFloor()));
		int background = demand.backgroundFloor()
				+ take(rest, admitted, position, demand.backgroundMax() - demand.backgroundFloor());
		if (admitted == count && app == demand.appMax() && background == demand.backgroundMax()) {
			arithmetic.append(" × ").append(demand.configured()).append(" configured (app ").append(demand.appMax())
				.append(" + background ").append(demand.backgroundMax()).append(" + ").append(demand.fixed())
				.append(" fixed) = ").append((long) count * demand.configured()).append(" fit");
		}
		else {
			arithmetic.append(" × ").append(demand.configured()).append(" configured = ")
				.append((long) count * demand.configured()).append(" do not fit; this instance (number ")
				.append(position + 1).append(") gets app ").append(app).append(" of ").append(demand.appMax())
				.append(" + background ").append(background).append(" of ").append(demand.backgroundMax())
				.append(" + ").append(demand.fixed()).append(" fixed");
		}
		return new FleetShare(count, position, (int) Math.min(available, Integer.MAX_VALUE), app, background,
				arithmetic.toString());
	}

	// An even split of what is left among the admitted instances, capped at what each may still
	// take; the first ones in the agreed order take the remainder.
	private static int take(long rest, int admitted, int position, int room) {
		if (room <= 0 || rest <= 0) {
			return 0;
		}
		long each = rest / admitted;
		long extra = (position < rest % admitted) ? 1 : 0;
		return (int) Math.min(room, each + extra);
	}

	private static String explainFloor(InstanceDemand demand) {
		return "app " + demand.appFloor() + " + background " + demand.backgroundFloor() + " + "
				+ demand.fixed() + " fixed";
	}

}
