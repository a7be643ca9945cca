package io.github.poolguard.benchmarks.foreground;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A closed-loop HTTP load: a fixed number of client threads, each sending its next request as
 * soon as the previous one is answered. It saturates the app; a stall shows as fewer requests,
 * not as latency (coordinated omission), which is what {@link OpenLoopLoad} avoids.
 */
final class ClosedLoopLoad implements Load {

	private final HttpClient http = ReadApiMix.client();

	private final ReadApiMix mix;

	private final int clients;

	private final List<List<Sample>> samples = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	ClosedLoopLoad(ReadApiMix mix, int clients) {
		this.mix = mix;
		this.clients = clients;
	}

	@Override
	public void start() {
		this.running = true;
		for (int i = 0; i < this.clients; i++) {
			List<Sample> mine = new ArrayList<>(1 << 16);
			this.samples.add(mine);
			int client = i;
			Thread thread = new Thread(() -> loop(client, mine), "load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	@Override
	public List<Sample> stop() throws InterruptedException {
		this.running = false;
		long deadline = System.nanoTime() + this.mix.requestTimeout().plusSeconds(2).toNanos();
		for (Thread thread : this.threads) {
			thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
		}
		List<Sample> all = new ArrayList<>();
		for (List<Sample> mine : this.samples) {
			synchronized (mine) {
				all.addAll(mine);
			}
		}
		return all;
	}

	private void loop(int client, List<Sample> mine) {
		long n = client * 7L;
		while (this.running) {
			long start = System.nanoTime();
			Outcome outcome;
			try {
				outcome = ReadApiMix.outcome(this.http.send(this.mix.request(n++), HttpResponse.BodyHandlers.discarding())
					.statusCode());
			}
			catch (IOException ex) {
				outcome = ReadApiMix.outcome(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			long latency = System.nanoTime() - start;
			synchronized (mine) {
				mine.add(new Sample(start, latency, outcome, 0));
			}
			if (outcome == Outcome.IO_ERROR) {
				sleepQuietly(50); // a dead server must not turn into a busy loop
			}
		}
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
