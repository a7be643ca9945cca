package io.github.poolguard.internal.monitor;

import java.time.Instant;

import io.github.poolguard.monitor.PressureLevel;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link ServerMonitor} knows after its latest attempt: the latest sample, and why the
 * latest attempt failed if it did. Immutable; readers take it as a whole.
 *
 * @param sample the latest successful sample, or {@code null} if there has been none
 * @param failure why the latest attempt failed, a plain sentence without credentials, or
 * {@code null} when it succeeded (or none has ended yet)
 * @param level the pressure level after the latest successful sample
 * @param appPoolWaitingSamples how many consecutive attempts, up to the latest, found threads
 * waiting for an app pool connection
 * @param readAt when the latest attempt ended
 * @param busy whether the failure is the server answering "too busy" (too many clients, a
 * sampling query past its timeout) rather than this instance being unable to reach it
 * @param backgroundPoolWaiters how many threads waited for a background pool connection at the
 * latest attempt
 * @param backgroundPoolWaitingSamples how many consecutive attempts, up to the latest, found
 * threads waiting for a background pool connection
 */
public record ServerReading(@Nullable ServerSample sample, @Nullable String failure, PressureLevel level,
		int appPoolWaitingSamples, Instant readAt, boolean busy, int backgroundPoolWaiters,
		int backgroundPoolWaitingSamples) {

	/**
	 * Create a reading that saw no background pool waiters.
	 * @param sample the latest successful sample, or {@code null}
	 * @param failure why the latest attempt failed, or {@code null}
	 * @param level the pressure level
	 * @param appPoolWaitingSamples consecutive attempts that found app pool waiters
	 * @param readAt when the latest attempt ended
	 * @param busy whether the failure is the server answering "too busy"
	 */
	public ServerReading(@Nullable ServerSample sample, @Nullable String failure, PressureLevel level,
			int appPoolWaitingSamples, Instant readAt, boolean busy) {
		this(sample, failure, level, appPoolWaitingSamples, readAt, busy, 0, 0);
	}

	/**
	 * Create a reading whose failure, if any, means the server cannot be reached.
	 * @param sample the latest successful sample, or {@code null}
	 * @param failure why the latest attempt failed, or {@code null}
	 * @param level the pressure level
	 * @param appPoolWaitingSamples consecutive attempts that found app pool waiters
	 * @param readAt when the latest attempt ended
	 */
	public ServerReading(@Nullable ServerSample sample, @Nullable String failure, PressureLevel level,
			int appPoolWaitingSamples, Instant readAt) {
		this(sample, failure, level, appPoolWaitingSamples, readAt, false);
	}

	/**
	 * Return whether the latest attempt reached the server.
	 * @return {@code true} when it did and {@link #sample()} is fresh
	 */
	public boolean isReachable() {
		return this.failure == null && this.sample != null;
	}

	/**
	 * Return whether no attempt has ended yet: the monitor has just started.
	 * @return {@code true} before the first sample or failure
	 */
	public boolean isPending() {
		return this.failure == null && this.sample == null;
	}

	/**
	 * Return whether this instance cannot reach its server: the latest attempt failed for
	 * another reason than the server being busy.
	 * @return {@code true} when unreachable
	 */
	public boolean isUnreachable() {
		return this.failure != null && !this.busy;
	}

}
