package io.github.poolguard.internal.pool;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Backs off from a server that refuses logins for want of a connection slot ({@code 53300}):
 * after the n-th refusal in a row no pool of this instance logs in again for a random time
 * between half and all of {@code min(max, base × 2ⁿ⁻¹)}, so the instances of a fleet do not
 * retry in step (HikariCP retries a failed login after 10 ms, doubling, the same in every
 * instance). A refused login is answered at once without reaching the server. The first
 * successful login ends the streak.
 */
public final class LoginBackoff implements LoginGuard {

	private static final Log logger = LogFactory.getLog(LoginBackoff.class);

	private final long baseNanos;

	private final long maxNanos;

	private final AtomicInteger streak = new AtomicInteger();

	private volatile long notBefore = System.nanoTime();

	/**
	 * Create a backoff.
	 * @param base the ceiling after the first refusal
	 * @param max the largest ceiling
	 */
	public LoginBackoff(Duration base, Duration max) {
		this.baseNanos = base.toNanos();
		this.maxNanos = max.toNanos();
	}

	@Override
	public void beforeLogin(String pool) throws SQLException {
		long wait = this.notBefore - System.nanoTime();
		if (wait > 0) {
			throw new SQLTransientConnectionException("PoolGuard: the " + pool + " pool waits another "
					+ Math.max(1, Duration.ofNanos(wait).toMillis()) + " ms before its next login: the server refused "
					+ this.streak.get() + " login(s) in a row for want of a connection slot (53300)", "08004");
		}
	}

	@Override
	public void refused(String pool, SQLException refusal) {
		int streak = this.streak.incrementAndGet();
		long ceiling = Math.min(this.maxNanos, this.baseNanos << Math.min(streak - 1, 30));
		long delay = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
		this.notBefore = System.nanoTime() + delay;
		if (streak == 1) {
			logger.warn("PoolGuard: the server refused a login of the " + pool + " pool (" + refusal.getMessage()
					+ "): the server has no connection slot left. Logins back off with jitter (up to "
					+ Duration.ofNanos(this.maxNanos).toSeconds() + " s) until one succeeds; where the fleet shares"
					+ " the server, the pool keeps only the connections it holds until its share is free again.");
		}
	}

	@Override
	public void loggedIn(String pool) {
		int streak = this.streak.getAndSet(0);
		if (streak > 0) {
			logger.info("PoolGuard: the server accepts logins again (the " + pool + " pool logged in after " + streak
					+ " refused login(s)).");
		}
	}

	/**
	 * Return how many logins in a row the server refused.
	 * @return the current streak, 0 after a login succeeded
	 */
	public int getStreak() {
		return this.streak.get();
	}

}
