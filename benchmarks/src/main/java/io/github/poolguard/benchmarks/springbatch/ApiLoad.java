package io.github.poolguard.benchmarks.springbatch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * An open-loop GET load: requests fall due on a fixed clock and are sent asynchronously whether
 * or not earlier ones were answered; each latency counts from the time the request was due, so a
 * stall shows as the latency of every request due during it.
 */
final class ApiLoad {

	/**
	 * One answered (or failed) request.
	 * @param due when it fell due ({@code System.nanoTime()})
	 * @param latencyNanos from due to answer
	 * @param ok whether the answer was HTTP 200
	 */
	record Sample(long due, long latencyNanos, boolean ok) {
	}

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	private final long intervalNanos;

	private final Semaphore inFlight = new Semaphore(200);

	private final List<Sample> samples = new ArrayList<>(1 << 16);

	private final Thread dispatcher = new Thread(this::dispatch, "api-load");

	private volatile boolean stopped;

	ApiLoad(String baseUrl, double rate) {
		this.baseUrl = baseUrl;
		this.intervalNanos = Math.round(1e9 / rate);
		this.dispatcher.setDaemon(true);
	}

	void start() {
		this.dispatcher.start();
	}

	List<Sample> stop() throws InterruptedException {
		this.stopped = true;
		this.dispatcher.join();
		this.inFlight.acquire(200);
		synchronized (this.samples) {
			return new ArrayList<>(this.samples);
		}
	}

	private void dispatch() {
		long first = System.nanoTime();
		for (long n = 0; !this.stopped; n++) {
			long due = first + n * this.intervalNanos;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			this.inFlight.acquireUninterruptibly();
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/api/items/" + (1 + n % 1000)))
				.timeout(Duration.ofSeconds(10))
				.build();
			this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
				long latency = System.nanoTime() - due;
				this.inFlight.release();
				synchronized (this.samples) {
					this.samples.add(new Sample(due, latency, failure == null && response.statusCode() == 200));
				}
			});
		}
	}

	/**
	 * Summarise the samples due within a window.
	 * @param samples the samples
	 * @param from window start (inclusive, nanoTime)
	 * @param to window end (exclusive, nanoTime)
	 * @return {@code [count, errors, p50 ms, p99 ms, max ms]}
	 */
	static double[] summarise(List<Sample> samples, long from, long to) {
		Histogram histogram = new Histogram(60_000_000L, 3);
		long count = 0;
		long errors = 0;
		for (Sample sample : samples) {
			if (sample.due() >= from && sample.due() < to) {
				count++;
				if (!sample.ok()) {
					errors++;
				}
				histogram.recordValue(Math.min(sample.latencyNanos() / 1000, 60_000_000L));
			}
		}
		return new double[] { count, errors, histogram.getValueAtPercentile(50) / 1000.0,
				histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0 };
	}

}
