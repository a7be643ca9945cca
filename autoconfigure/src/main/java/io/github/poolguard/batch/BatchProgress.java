package io.github.poolguard.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.github.poolguard.internal.text.Formats;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a batch run's progress.
 *
 * @param name the run's name
 * @param state where the run is
 * @param total items in the run
 * @param succeeded items that succeeded
 * @param failed items that failed
 * @param notRun items that were never worked on (cancelled or stopped by shutdown)
 * @param retries retries made across all items
 * @param yields times the run paused for the application
 * @param startedAt when the run started
 * @param elapsed how long it has run (until it finished, for a finished run)
 */
public record BatchProgress(String name, BatchState state, int total, int succeeded, int failed, int notRun,
		int retries, int yields, Instant startedAt, Duration elapsed) {

	/**
	 * Return the items worked on to the end, successfully or not.
	 * @return succeeded plus failed
	 */
	public int done() {
		return this.succeeded + this.failed;
	}

	/**
	 * Return the items per second so far.
	 * @return the rate
	 */
	public double rate() {
		double seconds = this.elapsed.toNanos() / 1e9;
		return (seconds > 0) ? done() / seconds : 0;
	}

	/**
	 * Return the estimated time to finish at the current rate.
	 * @return the estimate, or {@code null} when it cannot be told yet or the run has ended
	 */
	public @Nullable Duration eta() {
		double rate = rate();
		if (this.state.isFinished() || rate <= 0) {
			return null;
		}
		return Duration.ofMillis((long) ((this.total - done() - this.notRun) / rate * 1000));
	}

	/**
	 * Return the progress as a log line, like {@code ticker-fetch: 45/300 (15%) ok=44 failed=1
	 * retries=2 3.1 items/s eta 1m22s}.
	 * @return the line
	 */
	public String toLogLine() {
		int percent = (this.total > 0) ? (int) (100L * done() / this.total) : 100;
		StringBuilder line = new StringBuilder();
		line.append(this.name).append(": ").append(done()).append('/').append(this.total);
		line.append(" (").append(percent).append("%) ok=").append(this.succeeded).append(" failed=").append(this.failed);
		if (this.notRun > 0) {
			line.append(" not-run=").append(this.notRun);
		}
		line.append(" retries=").append(this.retries);
		line.append(String.format(Locale.ROOT, " %.1f items/s", rate()));
		Duration eta = eta();
		if (eta != null) {
			line.append(" eta ").append(Formats.duration(eta));
		}
		return line.toString();
	}

	/**
	 * Return the summary of a finished run, like {@code ticker-fetch: completed in 1m40s: 300
	 * items, ok=297 failed=3 not-run=0 retries=5 yields=1}.
	 * @return the line
	 */
	public String toSummaryLine() {
		return this.name + ": " + this.state.name().toLowerCase(Locale.ROOT) + " in " + Formats.duration(this.elapsed) + ": "
				+ this.total + " items, ok=" + this.succeeded + " failed=" + this.failed + " not-run=" + this.notRun
				+ " retries=" + this.retries + " yields=" + this.yields;
	}


}
