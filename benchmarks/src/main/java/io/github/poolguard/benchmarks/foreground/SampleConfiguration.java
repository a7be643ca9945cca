package io.github.poolguard.benchmarks.foreground;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One configuration of the sample app an under-batch suite runs: a name, whether PoolGuard is on
 * (guarded) or off (naive), and the extra arguments the app gets.
 * <p>
 * Names ({@code bench.configurations}, a comma list):
 * <ul>
 * <li>{@code naive}: PoolGuard off, the sample's naive fetch (one pool, 16 threads, a transaction
 * across the source calls);</li>
 * <li>{@code guarded}: the sample's defaults (adaptive pacing, app-latency tolerance 1.2);</li>
 * <li>{@code fixed}: guarded with {@code --poolguard.batch.pacing=fixed} (the fixed-chunk
 * executor: {@code chunk-size} and {@code delay-between-chunks} exactly) and latency pacing off
 * ({@code app-latency-tolerance=Infinity});</li>
 * <li>{@code adaptive-X}: guarded with {@code --poolguard.batch.app-latency-tolerance=X};
 * {@code adaptive-inf} is tolerance Infinity (latency pacing off, the adaptive executor as
 * before issue 24).</li>
 * </ul>
 * A guarded name ending in {@code -psi} also gets
 * {@code --poolguard.batch.pace-on-cpu-pressure=true} (Linux's CPU pressure-stall signal steers
 * the batch too; the sample's default now), one ending in {@code -no-slow-start}
 * {@code --poolguard.batch.slow-start=0} (runs start at the pace, as before the slow start), one
 * ending in {@code -trickle} {@code --poolguard.batch.max-concurrency=2} (two tickers in flight
 * from the first item: what any pace can slow a run to, to tell a start's cost that pacing can
 * lower from one it cannot).
 * {@code bench.guarded-args} (space separated) is appended to every guarded configuration. A
 * name ending in {@code @label} runs the sample jar {@code bench.jar.label} names instead of the
 * suite's, so that another build (the version before a change) runs side by side in the same
 * rounds: {@code guarded@prev} with {@code -Dbench.jar.prev=/path/to/poolguard-sample-app.jar}.
 *
 * @param name the name in the report
 * @param guarded whether PoolGuard is on
 * @param arguments the app's extra arguments
 * @param jar the sample jar to run, or {@code null} for the suite's
 */
record SampleConfiguration(String name, boolean guarded, List<String> arguments, Path jar) {

	static final String NAIVE = "naive";

	private static final List<String> NAIVE_ARGUMENTS = List.of("--poolguard.enabled=false",
			"--sample.fetch.mode=naive",
			"--spring.datasource.hikari.data-source-properties.ApplicationName=ticker-sample:naive",
			"--spring.datasource.hikari.data-source-properties.reWriteBatchedInserts=true");

	// a name's suffixes (the last first) and the argument each adds
	private static final String[][] SUFFIXES = { { "-trickle", "--poolguard.batch.max-concurrency=2" },
			{ "-no-slow-start", "--poolguard.batch.slow-start=0" },
			{ "-psi", "--poolguard.batch.pace-on-cpu-pressure=true" } };

	private static final String TOLERANCE = "--poolguard.batch.app-latency-tolerance=";

	/**
	 * Read {@code bench.configurations}.
	 * @param defaults the comma list used when the property is unset
	 * @return the configurations, in the order given, each once
	 */
	static List<SampleConfiguration> fromProperty(String defaults) {
		String list = System.getProperty("bench.configurations", defaults);
		String guardedArgs = System.getProperty("bench.guarded-args", "").trim();
		List<String> extra = guardedArgs.isEmpty() ? List.of() : List.of(guardedArgs.split("\\s+"));
		Set<String> names = new LinkedHashSet<>();
		for (String name : list.split(",")) {
			if (!name.isBlank()) {
				names.add(name.trim());
			}
		}
		if (names.isEmpty()) {
			throw new IllegalArgumentException("bench.configurations names no configuration: '" + list + "'");
		}
		List<SampleConfiguration> configurations = new ArrayList<>();
		for (String name : names) {
			configurations.add(of(name, extra));
		}
		return configurations;
	}

	/**
	 * The configuration a name stands for.
	 * @param name {@code naive}, {@code guarded}, {@code fixed} or {@code adaptive-X}
	 * @param guardedArgs appended to a guarded configuration's arguments
	 * @return the configuration
	 */
	static SampleConfiguration of(String name, List<String> guardedArgs) {
		List<String> arguments = new ArrayList<>();
		String lower = name.toLowerCase(Locale.ROOT);
		Path jar = null;
		int at = lower.lastIndexOf('@');
		if (at >= 0) {
			String label = name.substring(at + 1);
			String path = System.getProperty("bench.jar." + label, "");
			if (path.isBlank() || !Files.isRegularFile(Path.of(path))) {
				throw new IllegalArgumentException("Configuration '" + name + "': set -Dbench.jar." + label
						+ " to the sample jar it runs (now '" + path + "')");
			}
			jar = Path.of(path);
			lower = lower.substring(0, at);
		}
		for (String[] suffix : SUFFIXES) {
			if (lower.endsWith(suffix[0]) && !lower.equals(NAIVE + suffix[0])) {
				lower = lower.substring(0, lower.length() - suffix[0].length());
				arguments.add(suffix[1]);
			}
		}
		if (lower.equals(NAIVE)) {
			return new SampleConfiguration(name, false, NAIVE_ARGUMENTS, jar);
		}
		if (lower.equals("fixed")) {
			arguments.add("--poolguard.batch.pacing=fixed");
			arguments.add(TOLERANCE + "Infinity");
		}
		else if (lower.startsWith("adaptive-")) {
			String tolerance = lower.substring("adaptive-".length());
			if (tolerance.equals("inf") || tolerance.equals("infinity") || tolerance.equals("∞")) {
				tolerance = "Infinity";
			}
			else {
				double value;
				try {
					value = Double.parseDouble(tolerance);
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException("Configuration '" + name + "': no tolerance after adaptive-", ex);
				}
				if (!(value > 1)) {
					throw new IllegalArgumentException("Configuration '" + name + "': the tolerance must be greater than 1");
				}
			}
			arguments.add("--poolguard.batch.pacing=adaptive");
			arguments.add(TOLERANCE + tolerance);
		}
		else if (!lower.equals("guarded")) {
			throw new IllegalArgumentException("Unknown configuration '" + name
					+ "': use naive, guarded, fixed or adaptive-X (X a tolerance > 1, or inf)");
		}
		arguments.addAll(guardedArgs);
		return new SampleConfiguration(name, true, List.copyOf(arguments), jar);
	}

	boolean isNaive() {
		return !this.guarded;
	}

	/**
	 * The order of a round: the configurations rotated by one per round (round 1 as given,
	 * round 2 starting with the second, ...), so none is always first or last.
	 * @param configurations the configurations as given
	 * @param round the round, from 1
	 * @return the order to run them in
	 */
	static List<SampleConfiguration> order(List<SampleConfiguration> configurations, int round) {
		List<SampleConfiguration> order = new ArrayList<>();
		int size = configurations.size();
		for (int i = 0; i < size; i++) {
			order.add(configurations.get((i + round - 1) % size));
		}
		return order;
	}

}
