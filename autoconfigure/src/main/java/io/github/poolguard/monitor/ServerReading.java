package io.github.poolguard.monitor;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the {@link ServerMonitor} knows after its latest attempt: the latest sample, and why the
 * latest attempt failed if it did. Immutable; readers take it as a whole.
 *
 * @param sample the latest successful sample, or {@code null} if there has been none
 * @param failure why the latest attempt failed, a plain sentence without credentials, or
 * {@code null} when it succeeded
 * @param level the pressure level after the latest successful sample
 * @param appPoolWaitingSamples how many consecutive attempts, up to the latest, found threads
 * waiting for an app pool connection
 * @param readAt when the latest attempt ended
 */
public record ServerReading(@Nullable ServerSample sample, @Nullable String failure, PressureLevel level,
		int appPoolWaitingSamples, Instant readAt) {

	/**
	 * Return whether the latest attempt reached the server.
	 * @return {@code true} when it did and {@link #sample()} is fresh
	 */
	public boolean isReachable() {
		return this.failure == null && this.sample != null;
	}

}
