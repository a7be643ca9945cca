package io.github.poolguard.internal.fleet;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import com.zaxxer.hikari.util.ConcurrentBag;
import com.zaxxer.hikari.util.ConcurrentBag.IConcurrentBagEntry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sets a HikariCP pool's maximum size at run time, never above what the application configured,
 * and keeps {@code minimumIdle} from pre-opening more than the new maximum.
 * <p>
 * Shrinking by k closes at most k connections: idle ones at once, busy ones as they are
 * returned. HikariCP's only public way to retire connections someone else holds,
 * {@code softEvictConnections()}, evicts every one of them: a shrink by one would close them all
 * and the pool would log in again up to its new size, a storm of backend forks from the library
 * meant to calm the server. HikariCP never closes a connection for being over its maximum (a
 * returned one is closed only when it is marked evicted), so the resizer evicts the surplus
 * itself, with the per-connection soft eviction that {@code softEvictConnections()} applies to
 * all: an idle connection is closed at once, a busy one is marked and HikariCP closes it when it
 * is returned. That eviction is private to HikariCP and reached by reflection, because a busy
 * connection can be marked in no other way, and a pool whose threads always wait for
 * connections hands every returned one straight to a waiting thread: a surplus left for a later
 * look at idle connections would never close under load, and the fleet would never rebalance.
 * Where HikariCP's internals cannot be reached (a HikariCP that changed them, or one on the
 * module path), the resizer borrows idle connections from the running pool and evicts them,
 * which closes them at once, and closes busy ones once they are idle at a later
 * {@link #trim()}, which the fleet runs on every monitor sample; under load they then retire at
 * {@code maxLifetime}. Either way the pool opens nothing while it holds more than its maximum.
 * Growing opens nothing here: HikariCP opens on demand up to the new maximum, and up to the new
 * {@code minimumIdle}.
 * <p>
 * A trim never waits for a connection. Borrowing (the fallback) takes an idle connection with no
 * timeout, so HikariCP counts a connection timeout only when the application takes every idle
 * connection between the count and the borrow, and a pool that allows suspension is not trimmed
 * that way, as borrowing from a suspended pool blocks until it is resumed. A busy connection
 * marked for a smaller pool still closes when it is returned if the pool grows back first; the
 * pool then opens a replacement on demand.
 */
public final class PoolResizer {

	private static final Log logger = LogFactory.getLog(PoolResizer.class);

	private static final @Nullable SoftEviction softEviction = SoftEviction.find();

	private final HikariDataSource pool;

	private final String role;

	private final int configuredMax;

	private final int configuredMinIdle;

	private volatile boolean exact;

	// Two trims at once would both see the same surplus and close it twice, after which the pool
	// logs in again. A lock, not a monitor: a trim may validate a connection on the server.
	private final ReentrantLock trimming = new ReentrantLock();

	/**
	 * Create a resizer for a pool, remembering the sizes it was configured with.
	 * @param pool the pool
	 * @param role the pool's role in log lines, such as {@code app}
	 */
	public PoolResizer(HikariDataSource pool, String role) {
		this(pool, role, true);
	}

	/**
	 * Create a resizer that may be told not to reach HikariCP's internals, as where they cannot be
	 * reached.
	 * @param pool the pool
	 * @param role the pool's role in log lines
	 * @param exact whether to evict busy connections over the maximum as they are returned, where
	 * HikariCP's internals can be reached
	 */
	PoolResizer(HikariDataSource pool, String role, boolean exact) {
		this.pool = pool;
		this.role = role;
		this.configuredMax = pool.getMaximumPoolSize();
		int minIdle = pool.getMinimumIdle();
		this.configuredMinIdle = (minIdle < 0) ? this.configuredMax : Math.min(minIdle, this.configuredMax);
		this.exact = exact && softEviction != null;
	}

	/**
	 * Return the pool's maximum size now.
	 * @return the live maximum
	 */
	public int currentMax() {
		return this.pool.getMaximumPoolSize();
	}

	/**
	 * Resize the pool to a share, capped at the configured maximum and at least one connection.
	 * A smaller pool closes its idle connections over the new maximum at once and its busy ones
	 * as they are returned.
	 * @param share the connections this pool may hold
	 * @param arithmetic why, for the log line
	 * @return {@code true} when the maximum changed
	 */
	public boolean resize(int share, String arithmetic) {
		int target = Math.max(1, Math.min(share, this.configuredMax));
		int current = currentMax();
		if (target == current) {
			return false;
		}
		int minIdle = Math.min(this.configuredMinIdle, target);
		// A HikariDataSource is its running pool's configuration (its HikariConfigMXBean), so
		// these take effect on a started pool too. minimumIdle goes first on the way down, so
		// the pool never tops up towards the old maximum.
		String closed = "";
		if (target < current) {
			this.pool.setMinimumIdle(minIdle);
			this.pool.setMaximumPoolSize(target);
			closed = closedNow(trim());
		}
		else {
			this.pool.setMaximumPoolSize(target);
			this.pool.setMinimumIdle(minIdle);
		}
		logger.info("PoolGuard: " + this.role + " pool maximum " + current + " → " + target + " (configured "
				+ this.configuredMax + "): " + arithmetic + closed + ".");
		return true;
	}

	/**
	 * Close every connection of the pool, idle ones at once and busy ones when they are returned,
	 * and keep it from topping itself up to {@code minimum-idle}, for a pool that is out of
	 * service.
	 * @return the connections the pool held
	 */
	public int evictAll() {
		// no minimum-idle top-up while out of service; the next resize restores it
		this.pool.setMinimumIdle(0);
		HikariPool running = runningPool();
		int held = (running != null) ? running.getTotalConnections() : 0;
		if (held > 0) {
			running.softEvictConnections();
		}
		return held;
	}

	/**
	 * Return the server connections the pool holds now.
	 * @return open connections, 0 before the pool started
	 */
	public int openConnections() {
		HikariPool running = runningPool();
		return (running != null) ? running.getTotalConnections() : 0;
	}

	private String closedNow(int closed) {
		HikariPool running = runningPool();
		int held = (running != null) ? running.getTotalConnections() : 0;
		int later = Math.max(0, held - currentMax());
		return "; closed " + closed + " idle connection(s)"
				+ ((later > 0) ? ", " + later + " in use will close when returned" : "");
	}

	/**
	 * Evict the connections the pool holds over its maximum: idle ones are closed at once, busy
	 * ones when they are returned (or, where HikariCP's internals cannot be reached, at a later
	 * trim that finds them idle). Never waits for a connection, and does nothing while another
	 * trim runs or the pool holds no more than its maximum.
	 * @return how many connections were closed at once
	 */
	public int trim() {
		HikariPool running = runningPool();
		if (running == null || running.getTotalConnections() <= currentMax() || !this.trimming.tryLock()) {
			return 0;
		}
		try {
			int closed = this.exact ? evictSurplusOrFallBack(running) : borrowAndEvict(running);
			if (closed > 0 && logger.isDebugEnabled()) {
				logger.debug("PoolGuard: " + this.role + " pool closed " + closed + " connection(s) over its maximum of "
						+ currentMax() + ".");
			}
			return closed;
		}
		finally {
			this.trimming.unlock();
		}
	}

	private int evictSurplusOrFallBack(HikariPool running) {
		SoftEviction eviction = softEviction;
		try {
			if (eviction != null) {
				return evictSurplus(eviction, running);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("PoolGuard: " + this.role + " pool: HikariCP's per-connection eviction failed (" + ex
					+ "); from now on its busy connections over the maximum close once they are idle at a monitor"
					+ " sample, or at maxLifetime.");
		}
		this.exact = false;
		return borrowAndEvict(running);
	}

	// Connections already marked evicted close anyway (HikariCP marks them at maxLifetime too),
	// so only the others count towards the surplus; idle ones go first, and idle marked ones,
	// returned while they were being marked, are closed now rather than at their next borrow.
	private int evictSurplus(SoftEviction eviction, HikariPool running) {
		List<? extends IConcurrentBagEntry> all = eviction.entries(running);
		int surplus = (int) all.stream().filter((entry) -> !eviction.isMarked(entry)).count() - currentMax();
		int closed = 0;
		for (IConcurrentBagEntry entry : all) {
			if (entry.getState() != IConcurrentBagEntry.STATE_NOT_IN_USE) {
				continue;
			}
			boolean marked = eviction.isMarked(entry);
			if (marked || surplus > 0) {
				surplus -= marked ? 0 : 1;
				if (eviction.evict(running, entry)) {
					closed++;
				}
			}
		}
		for (IConcurrentBagEntry entry : all) {
			if (surplus > 0 && entry.getState() == IConcurrentBagEntry.STATE_IN_USE && !eviction.isMarked(entry)) {
				surplus--;
				if (eviction.evict(running, entry)) {
					closed++;
				}
			}
		}
		return closed;
	}

	private int borrowAndEvict(HikariPool running) {
		if (this.pool.isAllowPoolSuspension()) {
			return 0;
		}
		int closed = 0;
		while (running.getTotalConnections() > currentMax() && running.getIdleConnections() > 0) {
			Connection connection = borrowIdle(running);
			if (connection == null) {
				break;
			}
			// HikariCP may have closed one of its own meanwhile (maxLifetime, a dead connection):
			// the borrowed one is then within the maximum and goes back.
			if (running.getTotalConnections() <= currentMax()) {
				giveBack(connection);
				break;
			}
			// Evicting a connection we hold closes it at once: HikariCP removes it from the pool
			// before closing it in the background, so the loop sees the new total.
			running.evictConnection(connection);
			closed++;
		}
		return closed;
	}

	// HikariDataSource.getHikariPoolMXBean() returns the running HikariPool itself (null before
	// the pool starts).
	private @Nullable HikariPool runningPool() {
		if (this.pool.isClosed()) {
			return null;
		}
		return (this.pool.getHikariPoolMXBean() instanceof HikariPool running) ? running : null;
	}

	// A timeout of 0 takes an idle connection or fails at once: HikariCP does not open one for
	// it while the pool holds its maximum, and it never waits for a busy one.
	private static @Nullable Connection borrowIdle(HikariPool running) {
		try {
			return running.getConnection(0);
		}
		catch (SQLException ex) {
			// The application took every idle connection since they were counted.
			return null;
		}
	}

	private void giveBack(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			logger.debug("PoolGuard: " + this.role + " pool: returning a connection failed", ex);
		}
	}

	/**
	 * HikariCP's soft eviction of one connection ({@code HikariPool.softEvictConnection}): marks
	 * it evicted, and closes it at once when it is idle, else HikariCP closes it when it is
	 * returned. With the pool's connections ({@code HikariPool.connectionBag}) and whether one is
	 * marked already ({@code PoolEntry.isMarkedEvicted}). Private to HikariCP (checked against
	 * 6.0 and 7.0).
	 */
	private static final class SoftEviction {

		private static final String REASON = "(connection evicted: PoolGuard shrank the pool)";

		private final Field bag;

		private final Method evict;

		private final Method marked;

		private SoftEviction(Field bag, Method evict, Method marked) {
			this.bag = bag;
			this.evict = evict;
			this.marked = marked;
		}

		static @Nullable SoftEviction find() {
			try {
				Class<?> entryType = Class.forName("com.zaxxer.hikari.pool.PoolEntry", false,
						HikariPool.class.getClassLoader());
				Field bag = HikariPool.class.getDeclaredField("connectionBag");
				Method evict = HikariPool.class.getDeclaredMethod("softEvictConnection", entryType, String.class,
						boolean.class);
				Method marked = entryType.getDeclaredMethod("isMarkedEvicted");
				if (bag.getType() != ConcurrentBag.class || evict.getReturnType() != boolean.class
						|| marked.getReturnType() != boolean.class) {
					throw new NoSuchMethodException("HikariCP's soft eviction changed");
				}
				bag.setAccessible(true);
				evict.setAccessible(true);
				marked.setAccessible(true);
				return new SoftEviction(bag, evict, marked);
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				logger.info("PoolGuard: HikariCP's per-connection eviction cannot be reached (" + ex
						+ "): a pool that shrinks closes its busy connections over the new maximum once they are idle"
						+ " at a monitor sample, or at maxLifetime.");
				return null;
			}
		}

		List<? extends IConcurrentBagEntry> entries(HikariPool running) {
			try {
				return ((ConcurrentBag<?>) this.bag.get(running)).values();
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
		}

		boolean isMarked(IConcurrentBagEntry entry) {
			return (boolean) invoke(this.marked, entry);
		}

		boolean evict(HikariPool running, IConcurrentBagEntry entry) {
			return (boolean) invoke(this.evict, running, entry, REASON, false);
		}

		private static Object invoke(Method method, Object target, Object... arguments) {
			try {
				return method.invoke(target, arguments);
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InvocationTargetException ex) {
				throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
			}
		}

	}

}
