package io.github.poolguard.pressure;

import org.jspecify.annotations.Nullable;

/**
 * Tells whether the application is short of database connections right now. Batch work asks
 * every source before it starts a chunk and waits while any reports pressure. Implementations
 * must answer from memory, at once: they are asked often and must never borrow a connection.
 */
@FunctionalInterface
public interface PressureSource {

	/**
	 * Return why the application is under pressure, or {@code null} when it is not.
	 * @return a plain sentence naming the pressure, such as "2 threads are waiting for an app
	 * pool connection", or {@code null}
	 */
	@Nullable String currentPressure();

}
