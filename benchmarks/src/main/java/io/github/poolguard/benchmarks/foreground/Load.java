package io.github.poolguard.benchmarks.foreground;

import java.util.List;

/**
 * HTTP load on the sample's read API that keeps every request as a raw sample (when it was due,
 * latency, outcome), so phases can be cut afterwards.
 */
interface Load {

	/** What came back. */
	enum Outcome {

		OK, HTTP_4XX, HTTP_5XX, CLIENT_TIMEOUT, IO_ERROR

	}

	/**
	 * One request.
	 * @param startNanos {@link System#nanoTime()} when the request was due: when sent for a
	 * closed loop, its scheduled time for an open loop
	 * @param latencyNanos time from {@code startNanos} to the full answer
	 * @param outcome what came back
	 */
	record Sample(long startNanos, long latencyNanos, Outcome outcome) {
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
