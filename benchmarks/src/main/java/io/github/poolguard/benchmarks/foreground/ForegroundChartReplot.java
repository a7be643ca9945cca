package io.github.poolguard.benchmarks.foreground;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.poolguard.benchmarks.foreground.Round.Phase;

/**
 * Redraws an under-batch suite's two PNGs from its JSON, without running the suite again:
 * {@code ForegroundChartReplot [results/open-loop-under-batch.json]} writes {@code <name>.png}
 * (the trade-off curve) and {@code <name>-per-second.png}. Reads the older two-configuration
 * JSON too (no batch cap recorded there: a capped batch is then drawn at naive's duration).
 */
public final class ForegroundChartReplot {

	private static final String NUMBER = "(-?[\\d.]+|NaN|null)";

	private ForegroundChartReplot() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path json = Path.of((args.length > 0) ? args[0] : "benchmarks/results/open-loop-under-batch.json");
		String text = Files.readString(json);
		int universe = (int) number(text, "\"universe\": (\\d+)", Double.NaN);
		long cap = (long) number(text, "\"batchCapSeconds\": (\\d+)", 0);
		Matcher loadMatch = Pattern.compile("\"load\": \"([^\"]*)\"").matcher(text);
		String load = loadMatch.find() ? loadMatch.group(1)
				: (int) number(text, "\"clients\": (\\d+)", Double.NaN) + " closed-loop clients";
		int roundsAt = text.indexOf("\"rounds\": [");
		if (roundsAt < 0) {
			throw new IllegalArgumentException("No rounds in " + json);
		}
		List<Round> rounds = new ArrayList<>();
		Set<String> names = new LinkedHashSet<>();
		Matcher declared = Pattern.compile("\"configurationNames\": \\[([^\\]]*)\\]").matcher(text);
		if (declared.find()) {
			Matcher name = Pattern.compile("\"([^\"]+)\"").matcher(declared.group(1));
			while (name.find()) {
				names.add(name.group(1));
			}
		}
		String[] blocks = text.substring(roundsAt).split("\\{\\s*\"configuration\": \"");
		for (int b = 1; b < blocks.length; b++) {
			String block = blocks[b];
			String configuration = block.substring(0, block.indexOf('"'));
			names.add(configuration);
			Round round = new Round(configuration, (int) number(block, "\"number\": (\\d+)", Double.NaN));
			round.batchSeconds = number(block, "\"batchSeconds\": " + NUMBER, Double.NaN);
			round.batchFinished = Boolean.parseBoolean(string(block, "\"batchFinished\": (\\w+)"));
			putP99(round, block, Phase.IDLE, "idle");
			putP99(round, block, Phase.BATCH, "duringBatch");
			putP99(round, block, Phase.AFTER, "idleAfterBatch");
			round.perSecondP99 = new LinkedHashMap<>();
			Matcher series = Pattern.compile("\"p99MsPerSecondSinceBatchStart\": \\{([^}]*)\\}").matcher(block);
			if (series.find()) {
				Matcher point = Pattern.compile("\"(-?\\d+)\": " + NUMBER).matcher(series.group(1));
				while (point.find()) {
					round.perSecondP99.put(Integer.parseInt(point.group(1)), parse(point.group(2)));
				}
			}
			rounds.add(round);
		}
		List<String> order = List.copyOf(names);
		String base = json.getFileName().toString().replaceAll("\\.json$", "");
		List<ForegroundReport.Summary> summaries = ForegroundReport.summarize(order, rounds);
		if (cap == 0) {
			cap = (long) Math.ceil(rounds.stream().mapToDouble((round) -> round.batchSeconds).max().orElse(0));
		}
		ForegroundReport.tradeOffChart(json.resolveSibling(base + ".png"), summaries, load, universe, cap);
		ForegroundReport.perSecondChart(json.resolveSibling(base + "-per-second.png"), order, rounds, load, universe);
	}

	private static void putP99(Round round, String block, Phase phase, String key) {
		Matcher p99 = Pattern.compile("\"" + key + "\": \\{[^}]*\"p99Ms\": " + NUMBER).matcher(block);
		if (p99.find()) {
			round.recordedP99.put(phase, parse(p99.group(1)));
		}
	}

	private static double parse(String value) {
		return (value.equals("null") || value.equals("NaN")) ? Double.NaN : Double.parseDouble(value);
	}

	private static String string(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		if (!matcher.find()) {
			throw new IllegalArgumentException("No " + regex + " in the JSON");
		}
		return matcher.group(1);
	}

	private static double number(String text, String regex, double otherwise) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		if (!matcher.find()) {
			if (Double.isNaN(otherwise)) {
				throw new IllegalArgumentException("No " + regex + " in the JSON");
			}
			return otherwise;
		}
		return parse(matcher.group(1));
	}

}
