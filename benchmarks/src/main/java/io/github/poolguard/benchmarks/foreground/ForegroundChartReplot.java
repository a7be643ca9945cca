package io.github.poolguard.benchmarks.foreground;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redraws suite 1's PNG from its JSON, without running the suite again:
 * {@code ForegroundChartReplot [results/foreground-under-batch.json]}.
 */
public final class ForegroundChartReplot {

	private ForegroundChartReplot() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path json = Path.of((args.length > 0) ? args[0] : "benchmarks/results/foreground-under-batch.json");
		String text = Files.readString(json);
		int universe = number(text, "\"universe\": (\\d+)");
		Matcher loadMatch = Pattern.compile("\"load\": \"([^\"]*)\"").matcher(text);
		String load = loadMatch.find() ? loadMatch.group(1) : number(text, "\"clients\": (\\d+)") + " closed-loop clients";
		Map<String, Double> idleP99 = new TreeMap<>();
		for (String configuration : new String[] { "naive", "guarded" }) {
			Matcher idle = Pattern.compile("\"" + configuration + "\": \\{\\s*\"idle\": \\{[^}]*\"p99Ms\": ([\\d.]+)")
				.matcher(text);
			if (idle.find()) {
				idleP99.put(configuration, Double.parseDouble(idle.group(1)));
			}
		}
		List<Round> rounds = new ArrayList<>();
		Matcher round = Pattern.compile("\"configuration\": \"(\\w+)\",\\s*\"number\": (\\d+),.*?\"batchSeconds\": ([\\d.]+),"
				+ "\\s*\"batchFinished\": (\\w+),.*?\"p99MsPerSecondSinceBatchStart\": \\{([^}]*)\\}", Pattern.DOTALL)
			.matcher(text);
		while (round.find()) {
			Round parsed = new Round(round.group(1), Integer.parseInt(round.group(2)));
			parsed.batchSeconds = Double.parseDouble(round.group(3));
			parsed.batchFinished = Boolean.parseBoolean(round.group(4));
			parsed.perSecondP99 = new LinkedHashMap<>();
			Matcher point = Pattern.compile("\"(-?\\d+)\": ([\\d.NaN]+)").matcher(round.group(5));
			while (point.find()) {
				parsed.perSecondP99.put(Integer.parseInt(point.group(1)), Double.parseDouble(point.group(2)));
			}
			rounds.add(parsed);
		}
		ForegroundReport.chart(json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", ".png")), rounds,
				idleP99, load, universe);
	}

	private static int number(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		if (!matcher.find()) {
			throw new IllegalArgumentException("No " + regex + " in the JSON");
		}
		return Integer.parseInt(matcher.group(1));
	}

}
