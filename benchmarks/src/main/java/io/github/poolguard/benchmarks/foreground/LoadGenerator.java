package io.github.poolguard.benchmarks.foreground;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A closed-loop HTTP load: a fixed number of client threads, each sending its next request as
 * soon as the previous one is answered, over a fixed mix of the sample's read API. Every request
 * is kept as a raw sample (start, latency, outcome) so phases can be cut afterwards.
 */
final class LoadGenerator {

	/** What came back. */
	enum Outcome {

		OK, HTTP_4XX, HTTP_5XX, CLIENT_TIMEOUT, IO_ERROR

	}

	/**
	 * One request.
	 * @param startNanos {@link System#nanoTime()} when sent
	 * @param latencyNanos time to the full answer
	 * @param outcome what came back
	 */
	record Sample(long startNanos, long latencyNanos, Outcome outcome) {
	}

	private final HttpClient http;

	private final String baseUrl;

	private final List<String> tickers;

	private final Duration requestTimeout;

	private final List<List<Sample>> samples = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	LoadGenerator(String baseUrl, List<String> tickers, Duration requestTimeout) {
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		this.baseUrl = baseUrl;
		this.tickers = tickers;
		this.requestTimeout = requestTimeout;
	}

	/**
	 * Start the client threads.
	 * @param clients how many
	 */
	void start(int clients) {
		this.running = true;
		for (int i = 0; i < clients; i++) {
			List<Sample> mine = new ArrayList<>(1 << 16);
			this.samples.add(mine);
			int client = i;
			Thread thread = new Thread(() -> loop(client, mine), "load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	/**
	 * Stop the clients, waiting at most for one request timeout, and return every sample.
	 * @return the samples, in no particular order
	 * @throws InterruptedException if interrupted while waiting
	 */
	List<Sample> stop() throws InterruptedException {
		this.running = false;
		long deadline = System.nanoTime() + this.requestTimeout.plusSeconds(2).toNanos();
		for (Thread thread : this.threads) {
			thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
		}
		List<Sample> all = new ArrayList<>();
		for (int i = 0; i < this.samples.size(); i++) {
			List<Sample> mine = this.samples.get(i);
			synchronized (mine) {
				all.addAll(mine);
			}
		}
		return all;
	}

	private void loop(int client, List<Sample> mine) {
		long n = client * 7L;
		while (this.running) {
			URI uri = URI.create(this.baseUrl + path(n++));
			HttpRequest request = HttpRequest.newBuilder(uri).timeout(this.requestTimeout).GET().build();
			long start = System.nanoTime();
			Outcome outcome;
			try {
				HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
				int status = response.statusCode();
				outcome = (status >= 500) ? Outcome.HTTP_5XX : (status >= 400) ? Outcome.HTTP_4XX : Outcome.OK;
			}
			catch (HttpTimeoutException ex) {
				outcome = Outcome.CLIENT_TIMEOUT;
			}
			catch (IOException ex) {
				outcome = Outcome.IO_ERROR;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			long latency = System.nanoTime() - start;
			synchronized (mine) {
				mine.add(new Sample(start, latency, outcome));
			}
			if (outcome == Outcome.IO_ERROR) {
				sleepQuietly(50); // a dead server must not turn into a busy loop
			}
		}
	}

	// 2 in 10 the company list, 4 in 10 one company, 4 in 10 a month of quotes
	private String path(long n) {
		String ticker = this.tickers.get((int) ((n * 31) % this.tickers.size()));
		int kind = (int) (n % 10);
		if (kind < 2) {
			return "/api/companies";
		}
		if (kind < 6) {
			return "/api/companies/" + ticker;
		}
		return "/api/companies/" + ticker + "/quotes";
	}

	private static void sleepQuietly(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
