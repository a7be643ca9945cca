package io.github.poolguard.sample;

import java.util.ArrayList;
import java.util.List;

import io.github.poolguard.sample.fetch.FetchRequest;
import io.github.poolguard.sample.universe.TickerUniverse;

/**
 * The {@code fetch-ward} command line: {@code fetch-ward [TICKER ...] [--force-full]
 * [--no-brapi] [--verbose]}, plus Spring-style {@code --name=value} settings passed through to the
 * application.
 */
final class FetchCommand {

	static final String NAME = "fetch-ward";

	static final String USAGE = """
			usage: java -jar poolguard-sample-app.jar fetch-ward [TICKER ...] [--force-full] [--no-brapi] [--verbose]

			  TICKER        B3 tickers to fetch, such as PETR4 VALE3 TAEE11 (default: the whole universe)
			  --force-full  refetch everything: all history, profiles and fundamentals (otherwise a ticker
			                fetched today is skipped, and history starts after the last day stored)
			  --no-brapi    skip the supplemental source (no fundamentals)
			  --verbose     show the application's log on the console (it always goes to the log file)
			  --name=value  any Spring setting, e.g. --sample.universe.size=50

			exit codes: 0 all tickers stored, 1 some tickers failed or did not run, 2 bad usage""";

	private FetchCommand() {
	}

	/**
	 * Parse the arguments after {@code fetch-ward}.
	 * @param args the arguments
	 * @return what to run
	 * @throws UsageException on an unknown flag or a malformed ticker
	 */
	static Invocation parse(List<String> args) {
		List<String> tickers = new ArrayList<>();
		List<String> springArgs = new ArrayList<>();
		boolean forceFull = false;
		boolean useBrapi = true;
		boolean verbose = false;
		for (String arg : args) {
			if (arg.equals("--force-full")) {
				forceFull = true;
			}
			else if (arg.equals("--no-brapi")) {
				useBrapi = false;
			}
			else if (arg.equals("--verbose")) {
				verbose = true;
			}
			else if (arg.startsWith("--") && arg.contains("=")) {
				springArgs.add(arg);
			}
			else if (arg.startsWith("-")) {
				throw new UsageException("unknown option '" + arg + "'");
			}
			else {
				String ticker;
				try {
					ticker = TickerUniverse.normalize(arg);
				}
				catch (IllegalArgumentException ex) {
					throw new UsageException(ex.getMessage());
				}
				if (!tickers.contains(ticker)) {
					tickers.add(ticker);
				}
			}
		}
		return new Invocation(new FetchRequest(tickers, forceFull, useBrapi), springArgs, verbose);
	}

	/**
	 * A parsed command line.
	 *
	 * @param request what to fetch
	 * @param settings the {@code --name=value} settings for the application
	 * @param verbose whether the application's log goes to the console too
	 */
	record Invocation(FetchRequest request, List<String> settings, boolean verbose) {

		Invocation {
			settings = List.copyOf(settings);
		}

	}

	/**
	 * A command line that cannot be run; the message says why.
	 */
	static class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message);
		}

	}

}
