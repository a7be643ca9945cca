package io.github.poolguard.benchmarks.foreground;

import java.util.List;

/**
 * HTTP load on the sample's read API that keeps every request as a raw sample (when it was due,
 * latency, outcome), so phases can be cut afterwards.
 */
interface Load {

	/**
	 * What came back; {@code NOT_SENT}: an open loop's request that was due but still held back
	 * by the in-flight cap when the load stopped.
	 */
	enum Outcome {

		OK, HTTP_4XX, HTTP_5XX, CLIENT_TIMEOUT, IO_ERROR, NOT_SENT

	}

	/**
	 * One request.
	 * @param startNanos {@link System#nanoTime()} when the request was due: when sent for a
	 * closed loop, its scheduled time for an open loop
	 * @param latencyNanos time from {@code startNanos} to the full answer
	 * @param outcome what came back
	 * @param sendLagNanos how late the load itself sent it (open loop: actual send − due time; a
	 * large lag means the load generator, not the app, fell behind)
	 */
	record Sample(long startNanos, long latencyNanos, Outcome outcome, long sendLagNanos) {
	}

	/**
	 * Start sending.
	 */
	void start();

	/**
	 * Stop sending, wait at most for one request timeout, and return every sample.
	 * @return the samples, in no particular order
	 * @throws InterruptedException if interrupted while waiting
	 */
	List<Sample> stop() throws InterruptedException;

}
