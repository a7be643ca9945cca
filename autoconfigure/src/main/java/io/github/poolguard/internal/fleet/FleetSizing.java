package io.github.poolguard.internal.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.poolguard.internal.pool.ConnectionNames;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps this instance's pools at its share of the server: on every sample of the fleet it works
 * out the share ({@link FleetDivision}) and resizes the running pools, shrinking them as other
 * instances arrive and growing them back to their configured sizes as instances leave. An
 * instance the fleet has no room for is out of service until there is room: it says so with the
 * arithmetic, its readiness refuses traffic, and it opens no connection.
 */
public final class FleetSizing {

	private static final Log logger = LogFactory.getLog(FleetSizing.class);

	private final String self;

	private final InstanceDemand demand;

	private final PoolResizer app;

	private final PoolResizer background;

	/**
	 * Samples a larger share must hold before the pools grow to it.
	 */
	static final int GROWTH_SAMPLES = 3;

	/**
	 * The app pool an instance without a share runs its startup work on.
	 */
	static final int STARTUP_APP_POOL = 2;

	private final Consumer<Boolean> serving;

	private final Duration joinTimeout;

	private volatile @Nullable FleetShare share;

	// touched by the monitor's samples only, one at a time
	private int largerSamples;

	private long waitingSince;

	private volatile boolean refused;

	private volatile boolean startup;

	private volatile boolean admitted;

	private volatile boolean joined;

	/**
	 * Create the sizing of one instance.
	 * @param self this instance's id, as its monitor connection carries it
	 * @param demand what one instance asks for
	 * @param app resizes the app pool
	 * @param background resizes the background pool
	 * @param serving told after every sample whether this instance has its share and may serve
	 * @param joinTimeout how long a starting instance waits for its whole share before it starts
	 * with what is free
	 */
	public FleetSizing(String self, InstanceDemand demand, PoolResizer app, PoolResizer background,
			Consumer<Boolean> serving, Duration joinTimeout) {
		this.self = self;
		this.demand = demand;
		this.app = app;
		this.background = background;
		this.serving = serving;
		this.joinTimeout = joinTimeout;
	}

	/**
	 * Work out this instance's share of a sample, without applying it.
	 * @param view the sample
	 * @return the share
	 */
	public FleetShare plan(FleetView view) {
		return FleetDivision.divide(view.usable(), view.otherClients(), serving(view), view.positionOf(this.self),
				this.demand);
	}

	// whether each instance serves, in the fleet's order, this one last while the server does
	// not show it yet; this instance knows best whether it serves
	private List<Boolean> serving(FleetView view) {
		List<Boolean> serving = new ArrayList<>(view.instances().size() + 1);
		for (String instance : view.instances()) {
			serving.add(instance.equals(this.self) ? this.admitted : view.serving(instance));
		}
		if (!view.instances().contains(this.self)) {
			serving.add(this.admitted);
		}
		return serving;
	}

	/**
	 * Apply the share of a sample: resize the pools of a serving instance (it always keeps at
	 * least its floor), admit a waiting instance once its share is free on the server (or, after
	 * waiting {@code poolguard.fleet.join-timeout}, with what is free if that covers its floor),
	 * or keep it out of service while the fleet has no room for its floor.
	 * Samples taken before the instance joined the fleet ({@link FleetAdmission}) are ignored.
	 * @param view the sample
	 * @return the share, or {@code null} before the instance joined
	 */
	public @Nullable FleetShare update(FleetView view) {
		if (!this.joined) {
			return null;
		}
		FleetShare share = plan(view);
		if (!share.admitted()) {
			refuse(share);
			if (!this.startup) {
				// a connection HikariCP was opening when the startup work ended joined the pool after
				// it was emptied: out of service, the pools hold nothing
				this.app.evictAll();
				this.background.evictAll();
			}
		}
		else if (this.admitted) {
			admit(withinRoom(steadied(share), view), true);
		}
		else if (hasRoomFor(view, share)) {
			admit(share, true);
		}
		else if (!waitedOut() || !admitWhatIsFree(view, share, "waited " + this.joinTimeout.toSeconds()
				+ " s (poolguard.fleet.join-timeout) for the others to give back its share")) {
			logWaiting(view, share);
		}
		this.app.trim();
		this.background.trim();
		this.serving.accept(this.admitted);
		return share;
	}

	// Shrinking takes effect at once; growing waits until the larger share has held for a few
	// samples, so a session of another client that comes and goes does not resize every
	// instance back and forth (each grow may open a connection, each shrink closes one).
	private FleetShare steadied(FleetShare share) {
		int currentApp = this.app.currentMax();
		int currentBackground = this.background.currentMax();
		if (share.app() <= currentApp && share.background() <= currentBackground) {
			this.largerSamples = 0;
			return share;
		}
		if (++this.largerSamples >= GROWTH_SAMPLES) {
			return share;
		}
		return share.withPools(Math.min(share.app(), currentApp), Math.min(share.background(), currentBackground),
				"growing once the larger share has held for " + GROWTH_SAMPLES + " samples");
	}

	private boolean waitedOut() {
		long now = System.nanoTime();
		if (this.waitingSince == 0) {
			this.waitingSince = now;
		}
		return now - this.waitingSince >= this.joinTimeout.toNanos();
	}

	/**
	 * Admit this instance with what is free on the server, when that covers its floor: the
	 * others did not give back its whole share in time. The monitor grows the pools as room
	 * appears.
	 * @param view the sample
	 * @param share the share the instance waited for
	 * @param why what the instance waited for, for the log
	 * @return {@code true} when admitted
	 */
	boolean admitWhatIsFree(FleetView view, FleetShare share, String why) {
		int free = free(view);
		if (!share.admitted() || free < this.demand.poolFloor()) {
			return false;
		}
		int app = Math.max(this.demand.appFloor(), Math.min(share.app(), free - this.demand.backgroundFloor()));
		int background = Math.max(this.demand.backgroundFloor(), Math.min(share.background(), free - app));
		logger.warn("PoolGuard: this instance " + why + ": starting with the " + free
				+ " free connection(s) and growing as room appears (" + share.arithmetic() + ").");
		admit(share.withPools(app, background, free + " free when it started"), false);
		return true;
	}

	// Shrinking takes effect at once. Growing takes only what the others leave: the pools may
	// together hold what is available less every other instance's fixed connections and what its
	// pools may hold as it says on the server, and never more than is free on the server now.
	private FleetShare withinRoom(FleetShare share, FleetView view) {
		int currentApp = this.app.currentMax();
		int currentBackground = this.background.currentMax();
		int allowed = allowedPools(view, currentApp + currentBackground);
		int app = (share.app() <= currentApp) ? share.app()
				: Math.max(currentApp, Math.min(share.app(), allowed - Math.min(currentBackground, share.background())));
		int background = (share.background() <= currentBackground) ? share.background()
				: Math.max(currentBackground, Math.min(share.background(), allowed - app));
		if (app == share.app() && background == share.background()) {
			return share;
		}
		return new FleetShare(share.instances(), share.position(), share.available(), app, background,
				share.arithmetic() + "; growing as the others give back (" + Math.max(0, free(view))
						+ " connection(s) free now)");
	}

	// What this instance's pools may hold together now: what is free plus what they may hold
	// already, and, where every other instance says what its pools may hold, no more than the
	// others leave of the available connections.
	private int allowedPools(FleetView view, int current) {
		long allowed = (long) current + Math.max(0, free(view));
		Long left = leftByOthers(view);
		if (left != null) {
			allowed = Math.min(allowed, left);
		}
		return (int) Math.max(0, Math.min(Integer.MAX_VALUE, allowed));
	}

	// available − every instance's fixed connections − what each other instance's pools may hold:
	// what it says, or, while it says 0 (still joining), the share it is about to take; null while
	// an instance says nothing (its monitor's query text is hidden from this role, or it runs an
	// older PoolGuard)
	private @Nullable Long leftByOthers(FleetView view) {
		int count = view.instancesWith(this.self);
		long others = 0;
		for (int position = 0; position < view.instances().size(); position++) {
			String instance = view.instances().get(position);
			if (instance.equals(this.self)) {
				continue;
			}
			Integer pools = view.published().get(instance);
			if (pools == null) {
				return null;
			}
			if (pools == 0) {
				FleetShare joining = FleetDivision.divide(view.usable(), view.otherClients(), serving(view), position,
						this.demand);
				pools = joining.app() + joining.background();
			}
			others += pools;
		}
		long available = (long) view.usable() - Math.max(0, view.otherClients());
		return available - (long) count * this.demand.fixed() - others;
	}

	/**
	 * Return what this instance says on the server its pools may hold now: both pools' maxima
	 * while it serves, 0 while it is out of service or joining.
	 * @return the connections its pools may hold
	 */
	public int poolsMax() {
		return this.admitted ? this.app.currentMax() + this.background.currentMax() : 0;
	}

	/**
	 * Return whether the server has room now for a share this instance does not hold yet: what
	 * it may open fits in the usable connections not in use, and in what the other instances
	 * leave of the available connections by what they say their pools may hold (so a starting
	 * instance waits until the others have shrunk, not only until their connections happen to
	 * be idle).
	 * @param view the sample
	 * @param share the share
	 * @return {@code true} when the share is free
	 */
	public boolean hasRoomFor(FleetView view, FleetShare share) {
		int needed = share.app() + share.background();
		Long left = leftByOthers(view);
		return free(view) >= needed && (left == null || left >= needed);
	}

	/**
	 * Return the usable connections nobody holds.
	 * @param view the sample
	 * @return the free connections, possibly negative while the server is overcommitted
	 */
	static int free(FleetView view) {
		return view.usable() - view.inUse();
	}

	/**
	 * Size the pools to a share and serve.
	 * @param share the share
	 * @param log whether to log a resize
	 */
	void admit(FleetShare share, boolean log) {
		boolean changed = this.app.resize(share.app(), share.arithmetic())
				| this.background.resize(share.background(), share.arithmetic());
		FleetShare previous = this.share;
		if (this.refused) {
			this.refused = false;
			logger.info("PoolGuard: this instance is back in service with its share of the server: "
					+ share.arithmetic() + ".");
		}
		else if (crowded(share) && (previous == null || !crowded(previous))) {
			logger.warn("PoolGuard: the server has no room for every serving instance's floor (" + share.arithmetic()
					+ "); this instance keeps serving at its floor (app " + share.app() + " + background "
					+ share.background() + ") rather than leave the fleet. Lower poolguard.fleet.min-app-pool or the"
					+ " pools' sizes, run fewer instances, or raise max_connections.");
		}
		else if (!changed && log && this.share == null) {
			logger.info("PoolGuard: fleet sharing: " + share.arithmetic() + ".");
		}
		this.admitted = true;
		this.waitingSince = 0;
		this.share = share;
	}

	private static boolean crowded(FleetShare share) {
		return share.arithmetic().contains(FleetDivision.FLOORS_KEPT);
	}

	/**
	 * Keep a pool the server refused a login to at the connections it holds: the server has no
	 * slot left, so asking again only adds refused logins. The pool grows again as the fleet's
	 * samples find room.
	 * @param pool the pool's role
	 */
	void refusedLogin(String pool) {
		PoolResizer resizer = ConnectionNames.BACKGROUND.equals(pool) ? this.background : this.app;
		int open = resizer.openConnections();
		resizer.resize(Math.max(1, open), "the server refused a login for want of a connection slot (53300): keeping the "
				+ open + " connection(s) it holds until the fleet's samples find room");
	}

	/**
	 * Let an instance the fleet has no room for run its startup work on the smallest pools (app
	 * 2, as Flyway holds its lock on one connection and migrates on another; background at its
	 * floor) until {@link #endStartup()}.
	 */
	void allowStartup() {
		this.startup = true;
		String why = "this instance has no share yet: its startup work runs on the smallest pools, then it waits out of"
				+ " service for room";
		this.app.resize(STARTUP_APP_POOL, why);
		this.background.resize(this.demand.backgroundFloor(), why);
	}

	/**
	 * Return whether the startup work of an instance without a share may use its smallest pools.
	 * @return {@code true} until the application is ready
	 */
	public boolean inStartup() {
		return this.startup;
	}

	/**
	 * End the startup work: an instance that still has no share closes what its pools opened
	 * and waits, out of service, for room.
	 */
	public void endStartup() {
		if (!this.startup) {
			return;
		}
		this.startup = false;
		if (!this.admitted) {
			int closed = this.app.evictAll() + this.background.evictAll();
			logger.info("PoolGuard: startup work done without a share; closed the " + closed + " connection(s) it used,"
					+ " and this instance waits out of service for room on the server.");
		}
	}

	/**
	 * Take this instance out of service: the fleet has no room for its floor.
	 * @param share the share that says so
	 */
	void refuse(FleetShare share) {
		FleetShare previous = this.share;
		if (this.admitted || previous == null || previous.admitted()) {
			logger.warn("PoolGuard: this instance gets no share of the server's connections and stays out of service"
					+ " (readiness refuses traffic, no connection is opened) until there is room: " + share.arithmetic()
					+ ". Lower poolguard.fleet.min-app-pool or the pools' sizes, run fewer instances, or raise"
					+ " max_connections.");
		}
		this.admitted = false;
		this.refused = true;
		this.share = share;
	}

	private void logWaiting(FleetView view, FleetShare share) {
		if (this.share == null || this.share.admitted() != share.admitted() || this.share.app() != share.app()) {
			logger.info("PoolGuard: waiting for room on the server before opening connections: " + free(view)
					+ " of " + view.usable() + " usable connections are free, this instance's share needs "
					+ (share.app() + share.background()) + " (" + share.arithmetic() + ").");
		}
		this.share = share;
	}

	/**
	 * Serve at the configured sizes, for an instance that could not read the fleet before its
	 * pools opened: the monitor sizes the pools from its first sample.
	 */
	void admitUnseen() {
		this.admitted = true;
	}

	/**
	 * Take samples from now on: the instance has joined the fleet.
	 */
	void joined() {
		this.joined = true;
		this.serving.accept(this.admitted);
	}

	/**
	 * Return whether this instance has its share and serves.
	 * @return {@code true} when admitted
	 */
	public boolean isAdmitted() {
		return this.admitted;
	}

	/**
	 * Return the share of the latest sample.
	 * @return the share, or {@code null} before the first
	 */
	public @Nullable FleetShare getShare() {
		return this.share;
	}

}
