package io.github.poolguard.batch;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Where instances of an application claim a named batch, so that at most one of them runs an
 * {@link BatchOptions#exclusive() exclusive} run at a time. The auto-configuration gives the
 * {@link ThrottlingExecutor} claims held as PostgreSQL session advisory locks; an executor built
 * by hand takes any implementation (a lock table, a coordination service) through
 * {@link ThrottlingExecutor.Builder#claims(BatchClaims)}.
 */
@FunctionalInterface
public interface BatchClaims {

	/**
	 * Try to claim the name, without waiting.
	 * @param name the batch run's name
	 * @return the claim, or {@code null} when another instance holds it
	 * @throws SQLException when the claim cannot be asked for
	 */
	@Nullable BatchClaim tryClaim(String name) throws SQLException;

	/**
	 * A claim held on a batch name; close it to free the name.
	 */
	interface BatchClaim extends AutoCloseable {

		/**
		 * Return whether the claim still holds: its holder must stop taking new work once it
		 * does not, since another instance may have claimed the name meanwhile.
		 * @return {@code true} while held
		 */
		boolean isHeld();

		/**
		 * Free the claim.
		 */
		@Override
		void close();

	}

}
