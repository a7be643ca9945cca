package io.github.poolguard.internal.routing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.poolguard.routing.WorkloadRoutingDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.ConnectionProxy;

/**
 * The background connections each thread holds now, counted as the
 * {@link WorkloadRoutingDataSource} hands them out and given back when closed. What a Spring
 * Batch step holds outside its chunks (a cursor reader keeps its connection from the step's
 * open to its close) is invisible to the pool, which only knows how many connections are in use,
 * not by whom: a chunk that needs one more connection than its own thread leaves in the pool
 * would wait for itself until the pool's connection timeout. Counting per thread lets the chunk
 * gate see it first. Only background connections are counted, so the app's borrows pay nothing.
 */
public final class BackgroundHolds {

	private final ThreadLocal<Holder> holders = ThreadLocal.withInitial(Holder::new);

	private volatile @Nullable BorrowCheck borrowCheck;

	/**
	 * Set what a background borrow passes first, such as the Spring Batch chunk gate's refusal
	 * of a borrow that could only wait for its own thread.
	 * @param borrowCheck the check, or {@code null} for none
	 */
	public void setBorrowCheck(@Nullable BorrowCheck borrowCheck) {
		this.borrowCheck = borrowCheck;
	}

	/**
	 * Called before the calling thread borrows a background connection.
	 * @throws SQLException when the borrow is refused
	 */
	public void beforeBorrow() throws SQLException {
		BorrowCheck check = this.borrowCheck;
		if (check != null) {
			check.beforeBorrow(this.holders.get());
		}
	}

	/**
	 * What a background borrow passes first.
	 */
	@FunctionalInterface
	public interface BorrowCheck {

		/**
		 * Called before a thread borrows a background connection.
		 * @param holder what the borrowing thread holds
		 * @throws SQLException when the borrow is refused
		 */
		void beforeBorrow(Holder holder) throws SQLException;

	}

	/**
	 * Return the connections the calling thread holds.
	 * @return the calling thread's holder
	 */
	public Holder current() {
		return this.holders.get();
	}

	/**
	 * Count a background connection just borrowed by the calling thread until it is closed.
	 * @param connection the borrowed connection
	 * @return the connection to hand out in its place; closing it ends the count
	 */
	public Connection track(Connection connection) {
		Holder holder = this.holders.get();
		Counted counted = new Counted(connection, holder);
		Connection proxy = (Connection) Proxy.newProxyInstance(BackgroundHolds.class.getClassLoader(),
				new Class<?>[] { ConnectionProxy.class }, counted);
		holder.held.add(proxy);
		return proxy;
	}

	/**
	 * The background connections one thread holds. Read from any thread; the count changes as
	 * its thread borrows and closes connections.
	 */
	public static final class Holder {

		// the handed-out proxies: a connection closed on another thread than its borrower's
		// still leaves its borrower's count
		private final Set<Connection> held = ConcurrentHashMap.newKeySet();

		/**
		 * Return how many background connections this thread holds now.
		 * @return the connections borrowed and not closed yet
		 */
		public int count() {
			return this.held.size();
		}

		/**
		 * Close every connection this thread holds, for work that has failed and whose
		 * connections would otherwise keep the pool from recording the failure. A later
		 * {@code close()} by the holder is a no-op; any other use fails as on a closed
		 * connection.
		 * @return how many connections were closed
		 */
		public int release() {
			int released = 0;
			for (Connection connection : List.copyOf(this.held)) {
				try {
					connection.close();
				}
				catch (SQLException ex) {
					// it left the count before the pool was asked to close it; a connection the
					// pool cannot close cleanly is evicted by the pool
				}
				released++;
			}
			return released;
		}

	}

	/**
	 * A counted connection: every call goes to the borrowed connection; the first close ends
	 * the count.
	 */
	private static final class Counted implements InvocationHandler {

		private final Connection target;

		private final Holder holder;

		private final AtomicBoolean closed = new AtomicBoolean();

		Counted(Connection target, Holder holder) {
			this.target = target;
			this.holder = holder;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			switch (method.getName()) {
				case "equals":
					return proxy == args[0];
				case "hashCode":
					return System.identityHashCode(proxy);
				case "toString":
					return "Background connection " + this.target;
				case "getTargetConnection":
					return this.target;
				case "close":
					if (this.closed.compareAndSet(false, true)) {
						this.holder.held.remove(proxy);
						this.target.close();
					}
					return null;
				case "isClosed":
					if (this.closed.get()) {
						return true;
					}
					break;
				case "unwrap":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return proxy;
					}
					break;
				case "isWrapperFor":
					if (((Class<?>) args[0]).isInstance(proxy)) {
						return true;
					}
					break;
				default:
					break;
			}
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

	}

}
