package io.github.poolguard.benchmarks.foreground;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP load: requests are due on a fixed clock ({@code rate} per second), sent
 * asynchronously whether or not earlier ones were answered, and each latency is measured from the
 * time the request was due, not from when it was actually sent. A stall of the app therefore
 * shows as the latency of every request due during it (no coordinated omission), instead of as
 * requests that were never sent. In-flight requests are capped ({@code maxInFlight}); above the
 * cap the next send waits, and its latency still counts from its due time. When the load stops,
 * requests already due are still sent (waiting at most one request timeout for the cap); those
 * the cap held back even then count as not sent, and those still unanswered after one more
 * request timeout as client timeouts, each with its time waited so far.
 */
final class OpenLoopLoad implements Load {

	private final HttpClient http = ReadApiMix.client();

	private final ReadApiMix mix;

	private final long intervalNanos;

	private final Semaphore inFlight;

	private final Map<Long, long[]> unanswered = new ConcurrentHashMap<>();

	private final List<Sample> samples = new ArrayList<>(1 << 16);

	private final Thread dispatcher = new Thread(this::dispatch, "open-loop-dispatcher");

	private volatile long stopAt = Long.MAX_VALUE;

	private volatile long firstDue;

	private volatile long sent;

	OpenLoopLoad(ReadApiMix mix, double rate, int maxInFlight) {
		this.mix = mix;
		this.intervalNanos = Math.round(1e9 / rate);
		this.inFlight = new Semaphore(maxInFlight);
		this.dispatcher.setDaemon(true);
	}

	@Override
	public void start() {
		this.dispatcher.start();
	}

	@Override
	public List<Sample> stop() throws InterruptedException {
		long stop = System.nanoTime();
		this.stopAt = stop;
		LockSupport.unpark(this.dispatcher);
		// the dispatcher still sends what fell due before the stop, waiting at most one request
		// timeout for the in-flight cap; what it could not send by then counts as not sent
		this.dispatcher.join(this.mix.requestTimeout().plusSeconds(2).toMillis());
		List<Sample> notSent = new ArrayList<>();
		for (long n = this.sent, due; (due = this.firstDue + n * this.intervalNanos) < stop; n++) {
			notSent.add(new Sample(due, stop - due, Outcome.NOT_SENT, stop - due));
		}
		long deadline = System.nanoTime() + this.mix.requestTimeout().plusSeconds(2).toNanos();
		while (!this.unanswered.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		long now = System.nanoTime();
		synchronized (this.samples) {
			this.unanswered.values()
				.forEach((pending) -> this.samples
					.add(new Sample(pending[0], now - pending[0], Outcome.CLIENT_TIMEOUT, pending[1])));
			this.unanswered.clear();
			this.samples.addAll(notSent);
			return new ArrayList<>(this.samples);
		}
	}

	private void dispatch() {
		long first = System.nanoTime();
		this.firstDue = first;
		for (long n = 0;; n++) {
			long due = first + n * this.intervalNanos;
			long wait;
			while ((wait = due - System.nanoTime()) > 0 && due < this.stopAt) {
				LockSupport.parkNanos(wait);
			}
			if (due >= this.stopAt || !acquire()) {
				return;
			}
			long id = n;
			long lag = System.nanoTime() - due;
			this.unanswered.put(id, new long[] { due, lag });
			this.sent = n + 1;
			this.http.sendAsync(this.mix.request(n), HttpResponse.BodyHandlers.discarding())
				.whenComplete((response, failure) -> {
					long latency = System.nanoTime() - due;
					this.inFlight.release();
					if (this.unanswered.remove(id) == null) {
						return; // already counted as unanswered at stop
					}
					Outcome outcome = (failure != null) ? ReadApiMix.outcome(failure)
							: ReadApiMix.outcome(response.statusCode());
					synchronized (this.samples) {
						this.samples.add(new Sample(due, latency, outcome, lag));
					}
				});
		}
	}

	// a permit for the next request; after a stop, only within one request timeout
	private boolean acquire() {
		try {
			while (this.stopAt == Long.MAX_VALUE
					|| System.nanoTime() - this.stopAt < this.mix.requestTimeout().toNanos()) {
				if (this.inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
					return true;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return false;
	}

}
