package io.github.poolguard.sample.console;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A run's progress at one moment, as the console shows it.
 *
 * @param total tickers in the run
 * @param done tickers worked on to the end
 * @param ok tickers stored
 * @param failed tickers that failed
 * @param itemsPerSecond tickers done per second so far
 * @param eta estimated time to finish, {@code null} when unknown
 * @param pools connections in use in each pool
 */
public record RunSnapshot(int total, int done, int ok, int failed, double itemsPerSecond, @Nullable Duration eta,
		List<PoolUse> pools) {

	public RunSnapshot {
		pools = List.copyOf(pools);
	}

	/**
	 * Return the counts after the bar: {@code  ok=44 failed=1 | connections app 0/10, background 2/3}.
	 * @return the text
	 */
	String counts() {
		String counts = " ok=" + this.ok + " failed=" + this.failed;
		if (this.pools.isEmpty()) {
			return counts;
		}
		return counts + " | connections "
				+ this.pools.stream().map(PoolUse::toString).collect(Collectors.joining(", "));
	}

	/**
	 * Return the snapshot as one plain line: {@code 45/300 (15%) ok=44 failed=1 3.1/s eta 1m22s |
	 * connections app 0/10, background 2/3}.
	 * @return the line
	 */
	String toLine() {
		int percent = (this.total > 0) ? (int) (100L * this.done / this.total) : 100;
		String line = this.done + "/" + this.total + " (" + percent + "%) "
				+ String.format(Locale.ROOT, "%.1f/s", this.itemsPerSecond);
		if (this.eta != null) {
			long seconds = this.eta.toSeconds();
			line += " eta " + ((seconds < 60) ? seconds + "s" : (seconds / 60) + "m" + (seconds % 60) + "s");
		}
		return line + counts();
	}

	/**
	 * Connections in use in one pool.
	 *
	 * @param name the pool's short name ({@code app}, {@code background})
	 * @param inUse connections borrowed now
	 * @param max the pool's maximum size
	 */
	public record PoolUse(String name, int inUse, int max) {

		@Override
		public String toString() {
			return this.name + " " + this.inUse + "/" + this.max;
		}

	}

}
