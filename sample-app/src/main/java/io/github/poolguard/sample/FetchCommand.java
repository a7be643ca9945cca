package io.github.poolguard.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.poolguard.sample.fetch.FetchRequest;
import io.github.poolguard.sample.universe.TickerUniverse;

/**
 * The {@code fetch-ward} command line: {@code fetch-ward [TICKER ...] [--force-full]
 * [--no-brapi]}, plus Spring-style {@code --name=value} settings passed through to the
 * application.
 */
final class FetchCommand {

	static final String NAME = "fetch-ward";

	static final String USAGE = """
			usage: java -jar poolguard-sample-app.jar fetch-ward [TICKER ...] [--force-full] [--no-brapi]

			  TICKER        B3 tickers to fetch, such as PETR4 VALE3 TAEE11 (default: the whole universe)
			  --force-full  refetch all history instead of only the days after the last one stored
			  --no-brapi    skip the supplemental source (no fundamentals)
			  --name=value  any Spring setting, e.g. --sample.universe.size=50

			exit codes: 0 all tickers stored, 1 some tickers failed or did not run, 2 bad usage""";

	private FetchCommand() {
	}

	/**
	 * Parse the arguments after {@code fetch-ward}.
	 * @param args the arguments
	 * @param springArgs receives the {@code --name=value} settings
	 * @return the request
	 * @throws UsageException on an unknown flag or a malformed ticker
	 */
	static FetchRequest parse(List<String> args, List<String> springArgs) {
		List<String> tickers = new ArrayList<>();
		boolean forceFull = false;
		boolean useBrapi = true;
		for (String arg : args) {
			if (arg.equals("--force-full")) {
				forceFull = true;
			}
			else if (arg.equals("--no-brapi")) {
				useBrapi = false;
			}
			else if (arg.startsWith("--") && arg.contains("=")) {
				springArgs.add(arg);
			}
			else if (arg.startsWith("-")) {
				throw new UsageException("unknown option '" + arg + "'");
			}
			else {
				String ticker = arg.toUpperCase(Locale.ROOT);
				if (!TickerUniverse.TICKER.matcher(ticker).matches()) {
					throw new UsageException("'" + arg + "' is not a B3 ticker (a four-character root and one or two digits,"
							+ " like PETR4, B3SA3 or TAEE11)");
				}
				if (!tickers.contains(ticker)) {
					tickers.add(ticker);
				}
			}
		}
		return new FetchRequest(tickers, forceFull, useBrapi);
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
