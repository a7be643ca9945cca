package io.github.poolguard.integration;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * App threads running one statement after another, each on a connection of the app pool, whose
 * duration the test sets: how long the app holds its connections, for the latency pacing tests.
 */
final class AppWork implements AutoCloseable {

	final AtomicReference<Double> statementSeconds;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ExecutorService threads;

	/**
	 * Start the threads.
	 * @param jdbc the app's JdbcTemplate
	 * @param threads how many (at 50 ms statements, 8 threads return 160 connections a second,
	 * about 20 of them timed: above the sampler's minimum)
	 * @param statementSeconds how long each statement takes at first
	 */
	AppWork(JdbcTemplate jdbc, int threads, double statementSeconds) {
		this.statementSeconds = new AtomicReference<>(statementSeconds);
		this.threads = Executors.newFixedThreadPool(threads);
		for (int i = 0; i < threads; i++) {
			this.threads.execute(() -> {
				while (this.running.get()) {
					jdbc.queryForObject("SELECT pg_sleep(?)", Object.class, this.statementSeconds.get());
				}
			});
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		this.threads.shutdown();
		assertThat(this.threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
	}

}
