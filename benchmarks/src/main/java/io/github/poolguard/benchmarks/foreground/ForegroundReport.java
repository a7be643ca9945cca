package io.github.poolguard.benchmarks.foreground;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.poolguard.benchmarks.foreground.Round.Phase;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes an under-batch suite's results: JSON (every round), Markdown (per configuration the
 * median over rounds, the issue's goals, the windows pooled, every round), a PNG of the
 * trade-off curve (API p99 ratio against batch duration ratio, one point per configuration) and
 * a PNG of API p99 per second around the batch.
 */
final class ForegroundReport {

	private final List<String> names;

	private final Map<String, String> arguments = new LinkedHashMap<>();

	private final List<Round> rounds;

	private final LoadPlan plan;

	private final int universe;

	private final Duration idle;

	private final Duration cap;

	private final String loadBefore;

	private final String loadAfter;

	private final Duration suite;

	private final LocalDate date;

	ForegroundReport(List<SampleConfiguration> configurations, List<Round> rounds, LoadPlan plan, int universe,
			Duration idle, Duration cap, String loadBefore, String loadAfter, Duration suite, LocalDate date) {
		this.names = configurations.stream().map(SampleConfiguration::name).toList();
		configurations.forEach((configuration) -> this.arguments.put(configuration.name(),
				configuration.isNaive() ? "PoolGuard off, naive fetch" : String.join(" ", configuration.arguments())));
		this.rounds = rounds;
		this.plan = plan;
		this.universe = universe;
		this.idle = idle;
		this.cap = cap;
		this.loadBefore = loadBefore;
		this.loadAfter = loadAfter;
		this.suite = suite;
		this.date = date;
	}

	void write(Path results, String name) throws IOException {
		Files.writeString(results.resolve(name + ".json"), json());
		Files.writeString(results.resolve(name + ".md"), markdown());
		List<Summary> summaries = summarize(this.names, this.rounds);
		tradeOffChart(results.resolve(name + ".png"), summaries, this.plan.describe(), this.universe,
				this.cap.toSeconds());
		perSecondChart(results.resolve(name + "-per-second.png"), this.names, this.rounds, this.plan.describe(),
				this.universe);
	}

	private PhaseStats pooled(String configuration, Phase phase) {
		PhaseStats pooled = new PhaseStats();
		for (Round round : of(configuration)) {
			pooled.add(round.stats(phase));
		}
		return pooled;
	}

	private List<Phase> phases() {
		boolean after = this.rounds.stream().allMatch((round) -> round.idleAfter != null);
		return after ? List.of(Phase.values()) : List.of(Phase.IDLE, Phase.BATCH);
	}

	private List<Round> of(String configuration) {
		return of(this.rounds, configuration);
	}

	private static List<Round> of(List<Round> rounds, String configuration) {
		return rounds.stream().filter((round) -> round.configuration.equals(configuration)).toList();
	}

	private Map<String, Integer> peaks(String configuration, Phase phase) {
		Map<String, Integer> peaks = new TreeMap<>();
		for (Round round : of(configuration)) {
			round.peaks(phase).forEach((name, count) -> peaks.merge(name, count, Math::max));
		}
		return peaks;
	}

	private Map<String, Integer> idleInTransaction(String configuration) {
		Map<String, Integer> peaks = new TreeMap<>();
		for (Round round : of(configuration)) {
			round.batchIdleInTransactionPeaks.forEach((name, count) -> peaks.merge(name, count, Math::max));
		}
		return peaks;
	}

	private long poolTimeouts(String configuration, Phase phase) {
		return of(configuration).stream().mapToLong((round) -> round.poolTimeouts(phase)).sum();
	}

	/**
	 * The median of some values, NaN values left out.
	 * @param values the values
	 * @return the median, NaN when none is left
	 */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().filter((value) -> !Double.isNaN(value)).sorted().toList();
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * Per configuration, the medians over its rounds.
	 * @param names the configurations, in the order given
	 * @param rounds every round
	 * @return one summary per configuration that ran
	 */
	static List<Summary> summarize(List<String> names, List<Round> rounds) {
		double naiveBatch = median(of(rounds, SampleConfiguration.NAIVE).stream()
			.filter((round) -> round.batchFinished)
			.map((round) -> round.batchSeconds)
			.toList());
		List<Summary> summaries = new ArrayList<>();
		for (String name : names) {
			List<Round> of = of(rounds, name);
			if (of.isEmpty()) {
				continue;
			}
			List<Round> finished = of.stream().filter((round) -> round.batchFinished).toList();
			double batch = median(finished.stream().map((round) -> round.batchSeconds).toList());
			double[] gc = new double[3];
			for (int i = 0; i < 3; i++) {
				int field = i;
				gc[i] = median(of.stream()
					.map((round) -> round.gcPausesIn.containsKey(Phase.BATCH) ? round.gcPausesIn.get(Phase.BATCH)[field]
							: Double.NaN)
					.toList());
			}
			summaries.add(new Summary(name, of.size(), finished.size(), batch, batch / naiveBatch,
					median(of.stream().map((round) -> round.p99(Phase.IDLE)).toList()),
					median(of.stream().map((round) -> round.p99(Phase.BATCH)).toList()),
					median(of.stream().map((round) -> round.p99(Phase.AFTER)).toList()),
					median(of.stream().map((round) -> round.duringOver(Phase.IDLE)).toList()),
					median(of.stream().map((round) -> round.duringOver(Phase.AFTER)).toList()),
					of.stream().mapToLong(Round::errors).sum(), gc,
					median(of.stream().map((round) -> (round.batchYields >= 0) ? (double) round.batchYields : Double.NaN)
						.toList())));
		}
		return summaries;
	}

	private String batchMedianText(Summary summary) {
		if (summary.finished() == 0) {
			return "> " + this.cap.toSeconds() + " s (cap; " + summary.rounds() + " of " + summary.rounds()
					+ " not finished)";
		}
		String text = String.format(Locale.ROOT, "%.1f s", summary.medianBatchSeconds());
		if (summary.finished() < summary.rounds()) {
			text += String.format(Locale.ROOT, " (%d of %d hit the %d s cap, left out)",
					summary.rounds() - summary.finished(), summary.rounds(), this.cap.toSeconds());
		}
		return text;
	}

	private static String ratioText(double ratio) {
		return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio);
	}

	private static String gcText(double[] gc) {
		if (gc == null) {
			return "–";
		}
		return String.format(Locale.ROOT, "%.0f, %.0f, %.1f", gc[0], gc[1], gc[2]);
	}

	private String markdown() {
		StringBuilder md = new StringBuilder();
		List<Summary> summaries = summarize(this.names, this.rounds);
		md.append("Per configuration, the median over its rounds (each ratio is taken within a round, then the median):\n\n");
		md.append("| configuration | app arguments | rounds | batch duration | batch ÷ naive | API p99 idle / during batch / idle after (ms)"
				+ " | p99 during ÷ idle | p99 during ÷ idle after | API errors (all windows, all rounds)"
				+ " | GC pauses during batch (count, total ms, max ms) | batch yields |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Summary summary : summaries) {
			md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.1f / %.1f / %.1f | %s | %s | %d | %s | %s |%n",
					summary.name(), this.arguments.getOrDefault(summary.name(), ""), summary.rounds(),
					batchMedianText(summary), ratioText(summary.batchRatio()), summary.idleP99(), summary.duringP99(),
					summary.afterP99(), ratioText(summary.duringOverIdle()), ratioText(summary.duringOverAfter()),
					summary.errors(), gcText(summary.gcDuringBatch()),
					Double.isNaN(summary.yields()) ? "–" : String.format(Locale.ROOT, "%.0f", summary.yields())));
		}
		md.append('\n');
		long capped = this.rounds.stream().filter((round) -> !round.batchFinished).count();
		if (capped > 0) {
			md.append(String.format(Locale.ROOT, "%d round(s) hit the batch cap (%d s, `bench.batch-cap`): their batch"
					+ " counts as not finished, is shown as \"> cap\" and is left out of the batch medians and ratios"
					+ " (its API windows still count).%n%n", capped, this.cap.toSeconds()));
		}
		md.append("| goal (issue 30) | measured | met |\n|---|---|---|\n");
		for (Goal goal : goals(summaries)) {
			md.append("| ").append(goal.name()).append(" | ").append(goal.measured()).append(" | ")
				.append(goal.met() ? "met" : "**missed**").append(" |\n");
		}
		md.append('\n');
		List<PhysicalLimit> limits = physicalLimits(this.names, this.rounds, summaries);
		if (limits.stream().anyMatch((limit) -> !Double.isNaN(limit.aloneCpuSeconds()))) {
			md.append("The physical limit: the batch's CPU-seconds with no load (the whole machine's, app and server,"
					+ " in the first round) over the cores the load alone leaves idle (the idle windows) is the batch"
					+ " time that uses only spare CPU (never less than the batch alone):\n\n");
			md.append("| configuration | batch alone | machine CPU-seconds alone | free cores under the load alone"
					+ " | spare-capacity batch time | batch under load | ÷ spare-capacity time |\n");
			md.append("|---|---|---|---|---|---|---|\n");
			Map<String, Summary> byName = new LinkedHashMap<>();
			summaries.forEach((summary) -> byName.put(summary.name(), summary));
			for (PhysicalLimit limit : limits) {
				md.append(String.format(Locale.ROOT, "| %s | %.1f s | %.1f | %.2f of %d | %.1f s | %s | %s |%n",
						limit.name(), limit.aloneSeconds(), limit.aloneCpuSeconds(), limit.freeCores(),
						Runtime.getRuntime().availableProcessors(), limit.spareSeconds(),
						batchMedianText(byName.get(limit.name())), ratioText(limit.batchOverSpare())));
			}
			md.append('\n');
		}
		md.append("Every configuration's windows, rounds pooled:\n\n");
		md.append("| configuration | phase | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | load generator's send lag p99 ms | errors: pool timeout"
				+ " / other 5xx / client timeout / I/O / not sent | peak server connections by application_name |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (String configuration : this.names) {
			for (Phase phase : phases()) {
				PhaseStats stats = pooled(configuration, phase);
				long poolTimeouts = Math.min(poolTimeouts(configuration, phase),
						stats.outcomes.getOrDefault(Load.Outcome.HTTP_5XX, 0L));
				md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d / %d / %d / %d / %d | %s |%n",
						configuration, phase.label, stats.requests(), stats.throughput(),
						stats.millis(50), stats.millis(95), stats.millis(99), stats.maxMillis(), stats.sendLagMillis(99),
						poolTimeouts,
						stats.outcomes.getOrDefault(Load.Outcome.HTTP_5XX, 0L) - poolTimeouts,
						stats.outcomes.getOrDefault(Load.Outcome.CLIENT_TIMEOUT, 0L),
						stats.outcomes.getOrDefault(Load.Outcome.IO_ERROR, 0L),
						stats.outcomes.getOrDefault(Load.Outcome.NOT_SENT, 0L), peaksText(peaks(configuration, phase))));
			}
		}
		md.append('\n');
		md.append("Per round (in the order run; GC pauses are those that ended in the window):\n\n");
		md.append("| # | round | API p99 idle / during / after ms | during p50 / max ms | errors | batch | GC idle | GC during batch"
				+ " | GC idle after (count, total ms, max ms) | batch yields | app JVM CPU idle → batch (cores)"
				+ " | machine busy idle → batch | peak connections during batch | peak idle in transaction during batch"
				+ " | load average before → after | batch summary (app log) |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Round round : this.rounds) {
			md.append(String.format(Locale.ROOT,
					"| %d | %s | %.1f / %.1f / %.1f | %.1f / %.1f | %d | %s | %s | %s | %s | %s | %.2f → %.2f | %.0f %% → %.0f %% | %s | %s | %s → %s | %s |%n",
					round.order, round.label(), round.p99(Phase.IDLE), round.p99(Phase.BATCH), round.p99(Phase.AFTER),
					round.batch.millis(50), round.batch.maxMillis(), round.errors(),
					round.batchFinished ? String.format(Locale.ROOT, "%.1f s", round.batchSeconds)
							: "> " + this.cap.toSeconds() + " s (not finished)",
					gcText(round.gcPausesIn.get(Phase.IDLE)), gcText(round.gcPausesIn.get(Phase.BATCH)),
					gcText(round.gcPausesIn.get(Phase.AFTER)),
					(round.batchYields >= 0) ? String.valueOf(round.batchYields) : "–", round.idleAppCpu,
					round.batchAppCpu, round.idleMachineCpu * 100, round.batchMachineCpu * 100,
					peaksText(round.batchPeaks), peaksText(round.batchIdleInTransactionPeaks), round.loadBefore,
					round.loadAfter, round.batchSummary.replace("|", "/")));
		}
		md.append('\n');
		md.append(String.format(Locale.ROOT, "%s, %d tickers (full 365-day refetch, `forceFull`), %s,"
				+ " %d s idle baseline per round%s, %d round(s), each running every configuration once (order rotated by"
				+ " one per round), batch cap %d s, suite %d s, %d cores, Java %s, load average %s before → %s after.%n",
				this.date, this.universe, this.plan.describe(), this.idle.toSeconds(),
				phases().contains(Phase.AFTER) ? " (and one after the batch)" : "",
				this.rounds.stream().mapToInt((round) -> round.number).max().orElse(0), this.cap.toSeconds(),
				this.suite.toSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
				this.loadBefore, this.loadAfter));
		Round first = this.rounds.get(0);
		if (!Double.isNaN(first.seedSeconds)) {
			md.append(String.format(Locale.ROOT, "Seeding fetch (%s, no load, empty tables): %.1f s.%n",
					first.configuration, first.seedSeconds));
		}
		if (this.rounds.stream().anyMatch((round) -> !Double.isNaN(round.warmFetchSeconds))) {
			md.append(String.format(Locale.ROOT, "The batch's code was warm (bench.batch-warm): every round's app ran the"
					+ " fetch once with no load before its warm-up, as an application that has run the job before;"
					+ " the suite without it measures a job's first run after a deploy, its JIT included.%n"));
		}
		return md.toString();
	}

	// the configuration at the default tolerance: guarded (the sample's defaults), else adaptive-1.2
	// (the default since issue 30's warm tolerance suite; adaptive-1.3 before it)
	private static Summary atDefault(List<Summary> summaries) {
		for (String name : List.of("guarded", "adaptive-1.2")) {
			for (Summary summary : summaries) {
				if (summary.name().equals(name)) {
					return summary;
				}
			}
		}
		return null;
	}

	private List<Goal> goals(List<Summary> summaries) {
		Summary at = atDefault(summaries);
		if (at == null) {
			return List.of(new Goal("the goals are read at the default tolerance", "no guarded (or adaptive-1.2) configuration ran",
					false));
		}
		String finished = at.finished() + " of " + at.rounds() + " rounds finished";
		boolean allFinished = at.finished() == at.rounds();
		// issue 30: a batch of 300 tickers or fewer may take 2x naive (its start is most of it), 3,000 1.5x
		double batchGoal = (this.universe <= 300) ? 2.0 : 1.5;
		String batchGoalText = (this.universe <= 300) ? "2×" : "1.5×";
		return List.of(
				new Goal(at.name() + ": API p99 during batch ≤ 1.3× the warm idle p99 (median of rounds)",
						String.format(Locale.ROOT, "%s (%.1f → %.1f ms; against the idle window after the batch %s)",
								ratioText(at.duringOverIdle()), at.idleP99(), at.duringP99(), ratioText(at.duringOverAfter())),
						at.duringOverIdle() <= 1.3),
				new Goal(at.name() + ": 0 API errors (every window, every round)", String.valueOf(at.errors()),
						at.errors() == 0),
				new Goal(at.name() + ": batch duration ≤ " + batchGoalText + " naive's (medians)",
						allFinished ? String.format(Locale.ROOT, "%s (%s ÷ naive)", ratioText(at.batchRatio()),
								batchMedianText(at))
								: batchMedianText(at) + ", " + finished,
						allFinished && at.batchRatio() <= batchGoal));
	}

	private static String peaksText(Map<String, Integer> peaks) {
		StringBuilder text = new StringBuilder();
		peaks.forEach((name, count) -> {
			if (count > 0) {
				text.append((text.length() > 0) ? ", " : "").append('`').append(name).append("` ").append(count);
			}
		});
		return (text.length() > 0) ? text.toString() : "0";
	}

	private String json() {
		StringBuilder json = new StringBuilder("{\n");
		json.append(String.format(Locale.ROOT, "  \"date\": \"%s\",%n  \"universe\": %d,%n  \"load\": \"%s\",%n"
				+ "  \"idleSeconds\": %d,%n  \"batchCapSeconds\": %d,%n  \"cores\": %d,%n  \"java\": \"%s\",%n"
				+ "  \"loadAverageBefore\": \"%s\",%n  \"loadAverageAfter\": \"%s\",%n  \"suiteSeconds\": %d,%n",
				this.date, this.universe, escape(this.plan.describe()), this.idle.toSeconds(), this.cap.toSeconds(),
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), this.loadBefore,
				this.loadAfter, this.suite.toSeconds()));
		json.append(this.plan.jsonMembers());
		json.append("  \"configurationNames\": [");
		for (int c = 0; c < this.names.size(); c++) {
			json.append((c > 0) ? ", " : "").append('"').append(escape(this.names.get(c))).append('"');
		}
		json.append("],\n");
		List<Summary> summaries = summarize(this.names, this.rounds);
		json.append("  \"goals\": [\n");
		List<Goal> goals = goals(summaries);
		for (int g = 0; g < goals.size(); g++) {
			Goal goal = goals.get(g);
			json.append(String.format(Locale.ROOT, "    {\"goal\": \"%s\", \"measured\": \"%s\", \"met\": %s}%s%n",
					escape(goal.name()), escape(goal.measured()), goal.met(), (g < goals.size() - 1) ? "," : ""));
		}
		json.append("  ],\n");
		json.append("  \"configurations\": {\n");
		for (int c = 0; c < summaries.size(); c++) {
			Summary summary = summaries.get(c);
			String configuration = summary.name();
			json.append("    \"").append(escape(configuration)).append("\": {\n");
			json.append("      \"appArguments\": \"").append(escape(this.arguments.getOrDefault(configuration, "")))
				.append("\",\n");
			json.append(String.format(Locale.ROOT, "      \"medianOverRounds\": {\"rounds\": %d, \"batchFinished\": %d,"
					+ " \"batchSeconds\": %s, \"batchOverNaive\": %s, \"p99IdleMs\": %s, \"p99DuringBatchMs\": %s,"
					+ " \"p99IdleAfterBatchMs\": %s, \"p99DuringBatchOverIdle\": %s, \"p99DuringBatchOverIdleAfter\": %s,"
					+ " \"gcPausesDuringBatch\": {\"count\": %s, \"totalMs\": %s, \"maxMs\": %s}, \"batchYields\": %s},%n",
					summary.rounds(), summary.finished(), number(summary.medianBatchSeconds()), number(summary.batchRatio()),
					number(summary.idleP99()), number(summary.duringP99()), number(summary.afterP99()),
					number(summary.duringOverIdle()), number(summary.duringOverAfter()),
					number(summary.gcDuringBatch()[0]), number(summary.gcDuringBatch()[1]),
					number(summary.gcDuringBatch()[2]), number(summary.yields())));
			json.append("      \"apiErrorsAllRounds\": ").append(summary.errors()).append(",\n");
			for (Phase phase : phases()) {
				json.append("      \"").append(jsonName(phase)).append("Pooled\": ")
					.append(stats(pooled(configuration, phase), poolTimeouts(configuration, phase)))
					.append(",\n");
			}
			json.append("      \"peakConnectionsDuringBatch\": ").append(map(peaks(configuration, Phase.BATCH))).append(",\n");
			json.append("      \"peakIdleInTransactionDuringBatch\": ").append(map(idleInTransaction(configuration))).append(",\n");
			json.append("      \"peakConnectionsIdle\": ").append(map(peaks(configuration, Phase.IDLE))).append("\n");
			json.append("    }").append((c < summaries.size() - 1) ? ",\n" : "\n");
		}
		json.append("  },\n  \"rounds\": [\n");
		for (int i = 0; i < this.rounds.size(); i++) {
			Round round = this.rounds.get(i);
			json.append("    {\n");
			json.append(String.format(Locale.ROOT, "      \"configuration\": \"%s\",%n      \"number\": %d,%n",
					escape(round.configuration), round.number));
			json.append(String.format(Locale.ROOT, "      \"order\": %d,%n      \"appArguments\": \"%s\",%n", round.order,
					escape(round.appArguments)));
			for (Phase phase : phases()) {
				json.append("      \"").append(jsonName(phase)).append("\": ")
					.append(stats(round.stats(phase), round.poolTimeouts(phase)))
					.append(",\n");
			}
			json.append(String.format(Locale.ROOT, "      \"p99DuringBatchOverIdle\": %s,%n      \"p99DuringBatchOverIdleAfter\": %s,%n",
					number(round.duringOver(Phase.IDLE)), number(round.duringOver(Phase.AFTER))));
			json.append(String.format(Locale.ROOT, "      \"batchSeconds\": %.2f,%n      \"batchFinished\": %s,%n",
					round.batchSeconds, round.batchFinished));
			json.append(String.format(Locale.ROOT, "      \"aloneSeconds\": %s,%n      \"aloneMachineCpuSeconds\": %s,%n",
					number(round.aloneSeconds), number(round.aloneMachineCpuSeconds)));
			json.append("      \"batchFinalState\": \"").append(escape(round.batchFinalState)).append("\",\n");
			json.append("      \"batchSummary\": \"").append(escape(round.batchSummary)).append("\",\n");
			json.append("      \"batchYields\": ").append(round.batchYields).append(",\n");
			json.append("      \"batchYieldLogLines\": ").append(round.yieldLogLines).append(",\n");
			json.append(String.format(Locale.ROOT,
					"      \"appCpuCoresIdle\": %.3f,%n      \"appCpuCoresBatch\": %.3f,%n      \"machineBusyIdle\": %.3f,%n"
							+ "      \"machineBusyBatch\": %.3f,%n      \"gcPauses\": %s,%n",
					round.idleAppCpu, round.batchAppCpu, round.idleMachineCpu, round.batchMachineCpu, gcJson(round.gcPauses)));
			for (Phase phase : phases()) {
				json.append("      \"gcPauses").append(Character.toUpperCase(jsonName(phase).charAt(0)))
					.append(jsonName(phase).substring(1)).append("\": ").append(gcJson(round.gcPausesIn.get(phase)))
					.append(",\n");
			}
			json.append("      \"peakConnectionsIdle\": ").append(map(round.idlePeaks)).append(",\n");
			json.append("      \"peakConnectionsDuringBatch\": ").append(map(round.batchPeaks)).append(",\n");
			json.append("      \"peakIdleInTransactionDuringBatch\": ").append(map(round.batchIdleInTransactionPeaks)).append(",\n");
			json.append(String.format(Locale.ROOT, "      \"loadAverageBefore\": \"%s\",%n      \"loadAverageAfter\": \"%s\",%n",
					round.loadBefore, round.loadAfter));
			if (!Double.isNaN(round.seedSeconds)) {
				json.append(String.format(Locale.ROOT, "      \"seedFetchSeconds\": %.2f,%n", round.seedSeconds));
			}
			if (!Double.isNaN(round.warmFetchSeconds)) {
				json.append(String.format(Locale.ROOT, "      \"warmFetchSeconds\": %.2f,%n", round.warmFetchSeconds));
			}
			json.append("      \"p99MsPerSecondSinceBatchStart\": {");
			StringBuilder series = new StringBuilder();
			round.perSecondP99.forEach((second, p99) -> series.append((series.length() > 0) ? ", " : "")
				.append('"').append(second).append("\": ").append(number(p99)));
			json.append(series).append("}\n");
			json.append("    }").append((i < this.rounds.size() - 1) ? ",\n" : "\n");
		}
		json.append("  ]\n}\n");
		return json.toString();
	}

	// JSON has no NaN
	private static String number(double value) {
		return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
	}

	private static String gcJson(double[] gc) {
		if (gc == null) {
			return "null";
		}
		return String.format(Locale.ROOT, "{\"count\": %.0f, \"totalMs\": %.1f, \"maxMs\": %.1f}", gc[0], gc[1], gc[2]);
	}

	private static String jsonName(Phase phase) {
		return switch (phase) {
			case IDLE -> "idle";
			case BATCH -> "duringBatch";
			case AFTER -> "idleAfterBatch";
		};
	}

	private static String stats(PhaseStats stats, long poolTimeoutLogLines) {
		return String.format(Locale.ROOT, "{\"requests\": %d, \"seconds\": %.1f, \"p50Ms\": %.2f, \"p95Ms\": %.2f,"
				+ " \"p99Ms\": %.2f, \"maxMs\": %.2f, \"ok\": %d, \"http5xx\": %d, \"http4xx\": %d, \"clientTimeouts\": %d,"
				+ " \"ioErrors\": %d, \"notSent\": %d, \"poolTimeoutLogLines\": %d, \"sendLagP99Ms\": %.2f}", stats.requests(), stats.seconds, stats.millis(50),
				stats.millis(95), stats.millis(99), stats.maxMillis(), stats.outcomes.get(Load.Outcome.OK),
				stats.outcomes.get(Load.Outcome.HTTP_5XX), stats.outcomes.get(Load.Outcome.HTTP_4XX),
				stats.outcomes.get(Load.Outcome.CLIENT_TIMEOUT),
				stats.outcomes.get(Load.Outcome.IO_ERROR), stats.outcomes.get(Load.Outcome.NOT_SENT), poolTimeoutLogLines,
				stats.sendLagMillis(99));
	}

	private static String escape(String text) {
		return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
	}

	private static String map(Map<String, Integer> map) {
		StringBuilder json = new StringBuilder("{");
		map.forEach((key, value) -> json.append((json.length() > 1) ? ", " : "")
			.append('"')
			.append(key)
			.append("\": ")
			.append(value));
		return json.append('}').toString();
	}

	private static final Color[] PALETTE = { new Color(200, 60, 40), new Color(40, 90, 200), new Color(30, 150, 70),
			new Color(150, 60, 180), new Color(230, 140, 20), new Color(20, 160, 170), new Color(120, 120, 120),
			new Color(180, 150, 40) };

	private static Color color(List<String> names, String name) {
		int index = names.indexOf(name);
		return PALETTE[Math.floorMod(index, PALETTE.length)];
	}

	/**
	 * Draw the trade-off curve: per configuration, the batch's median duration over naive's (x)
	 * against the median API p99 during the batch over idle (y), and the same against the idle
	 * window after the batch as a second marker.
	 * @param file the PNG
	 * @param summaries per configuration
	 * @param load the load's description
	 * @param universe tickers
	 * @param capSeconds the batch cap (where a batch that never finished is drawn, as a lower bound)
	 * @throws IOException when the PNG cannot be written
	 */
	static void tradeOffChart(Path file, List<Summary> summaries, String load, int universe, long capSeconds)
			throws IOException {
		XYChart chart = new XYChartBuilder().width(1100)
			.height(640)
			.title("Trade-off: API p99 during the batch against the batch's duration, " + load.replaceAll(" \\(.*", "")
					+ ", " + universe + " tickers (medians over rounds)")
			.xAxisTitle("batch duration ÷ naive's (median)")
			.yAxisTitle("API p99 during the batch ÷ p99 without it (median, log scale)")
			.build();
		chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
		chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
		chart.getStyler().setChartBackgroundColor(Color.WHITE);
		chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
		chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
		chart.getStyler().setYAxisLogarithmic(true);
		chart.getStyler().setMarkerSize(11);
		chart.getStyler().setDecimalPattern("#,##0.0#");
		chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
		double naive = summaries.stream()
			.filter((summary) -> summary.name().equals(SampleConfiguration.NAIVE))
			.mapToDouble(Summary::medianBatchSeconds)
			.findFirst()
			.orElse(Double.NaN);
		List<Double> x = new ArrayList<>();
		List<Double> idleY = new ArrayList<>();
		List<Double> afterX = new ArrayList<>();
		List<Double> afterY = new ArrayList<>();
		double maxX = 1;
		double minY = 1;
		double maxY = 1.5;
		List<String> labels = new ArrayList<>();
		for (Summary summary : summaries) {
			boolean capped = summary.finished() == 0;
			double ratio = capped ? capSeconds / naive : summary.batchRatio();
			if (Double.isNaN(ratio) || Double.isNaN(summary.duringOverIdle())) {
				continue;
			}
			x.add(ratio);
			idleY.add(summary.duringOverIdle());
			labels.add(String.format(Locale.ROOT, "%s%s", summary.name(), capped ? " (batch > cap: x is a lower bound)"
					: (summary.finished() < summary.rounds()) ? " (capped rounds left out)" : ""));
			if (!Double.isNaN(summary.duringOverAfter())) {
				afterX.add(ratio);
				afterY.add(summary.duringOverAfter());
				minY = Math.min(minY, summary.duringOverAfter());
				maxY = Math.max(maxY, summary.duringOverAfter());
			}
			maxX = Math.max(maxX, ratio);
			minY = Math.min(minY, summary.duringOverIdle());
			maxY = Math.max(maxY, summary.duringOverIdle());
		}
		if (x.isEmpty()) {
			x.add(1.0);
			idleY.add(1.0);
			labels.add("no configuration to draw");
		}
		XYSeries idle = chart.addSeries("p99 during ÷ idle p99 before the batch", x, idleY);
		idle.setMarker(SeriesMarkers.CIRCLE);
		idle.setMarkerColor(new Color(40, 90, 200));
		if (!afterX.isEmpty()) {
			XYSeries after = chart.addSeries("p99 during ÷ idle p99 after the batch (drift check)", afterX, afterY);
			after.setMarker(SeriesMarkers.DIAMOND);
			after.setMarkerColor(new Color(230, 140, 20));
		}
		double top = maxY * 1.6;
		double bottom = Math.min(minY / 1.4, 0.8);
		double right = Math.max(maxX * 1.12, 1.7);
		double left = Math.min(0.9, x.stream().mapToDouble(Double::doubleValue).min().orElse(1) * 0.9);
		chart.getStyler().setXAxisMin(left);
		chart.getStyler().setXAxisMax(right);
		chart.getStyler().setYAxisMin(bottom);
		chart.getStyler().setYAxisMax(top);
		// the goals: p99 ratio 1.3 at the default tolerance, batch 1.5× naive
		XYSeries p99Goal = chart.addSeries("goal: p99 during ≤ 1.3× idle", new double[] { left, right },
				new double[] { 1.3, 1.3 });
		p99Goal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
		p99Goal.setMarker(SeriesMarkers.NONE);
		p99Goal.setLineColor(new Color(30, 150, 70));
		p99Goal.setLineStyle(dashed());
		XYSeries batchGoal = chart.addSeries("goal: batch ≤ 1.5× naive", new double[] { 1.5, 1.5 },
				new double[] { bottom, top });
		batchGoal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
		batchGoal.setMarker(SeriesMarkers.NONE);
		batchGoal.setLineColor(new Color(150, 60, 180));
		batchGoal.setLineStyle(dashed());
		for (int i = 0; i < labels.size(); i++) {
			// above the point: the name (and why a point is a bound)
			chart.addAnnotation(new AnnotationText(labels.get(i), x.get(i), idleY.get(i) * 1.12, false));
		}
		BitmapEncoder.saveBitmap(chart, file.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
	}

	private static BasicStroke dashed() {
		return new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 6f, 4f }, 0f);
	}

	/**
	 * Draw API p99 per second around the batch, one line per round, and each configuration's
	 * median idle p99.
	 * @param file the PNG
	 * @param names the configurations, in the order given
	 * @param rounds every round
	 * @param load the load's description
	 * @param universe tickers
	 * @throws IOException when the PNG cannot be written
	 */
	static void perSecondChart(Path file, List<String> names, List<Round> rounds, String load, int universe)
			throws IOException {
		XYChart chart = new XYChartBuilder().width(1200)
			.height(620)
			.title("Sample API p99 per second, " + load.replaceAll(" \\(.*", "") + ", while a full fetch of " + universe
					+ " tickers runs (max_connections 20)")
			.xAxisTitle("seconds since the batch started")
			.yAxisTitle("p99 of the requests due in that second (ms, log scale)")
			.build();
		chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
		chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
		chart.getStyler().setYAxisLogarithmic(true);
		chart.getStyler().setYAxisMin(1.0);
		chart.getStyler().setXAxisTickMarkSpacingHint(90);
		chart.getStyler().setChartBackgroundColor(Color.WHITE);
		chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
		chart.getStyler().setMarkerSize(4);
		chart.getStyler().setDecimalPattern("#,##0");
		for (Round round : rounds) {
			List<Double> x = new ArrayList<>();
			List<Double> y = new ArrayList<>();
			int last = (int) Math.ceil(round.batchSeconds);
			round.perSecondP99.forEach((second, p99) -> {
				if (second >= -3 && second <= last && !Double.isNaN(p99)) {
					x.add((double) second);
					y.add(Math.max(p99, 1.0));
				}
			});
			if (x.isEmpty()) {
				continue;
			}
			String label = String.format(Locale.ROOT, "%s, batch %s%.1f s", round.label(),
					round.batchFinished ? "" : "stopped unfinished at ", round.batchSeconds);
			XYSeries series = chart.addSeries(label, x, y);
			Color color = color(names, round.configuration);
			if (round.number > 1) {
				color = new Color(color.getRed(), color.getGreen(), color.getBlue(), 150);
			}
			series.setLineColor(color);
			series.setMarkerColor(color);
			series.setMarker(SeriesMarkers.CIRCLE);
			series.setLineStyle(new BasicStroke((round.number > 1) ? 1.5f : 2.5f));
		}
		int end = (int) Math.ceil(rounds.stream().mapToDouble((round) -> round.batchSeconds).max().orElse(1));
		for (String configuration : names) {
			double idle = median(of(rounds, configuration).stream().map((round) -> round.p99(Phase.IDLE)).toList());
			if (Double.isNaN(idle)) {
				continue;
			}
			XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s idle p99 %.0f ms (median)", configuration, idle),
					new double[] { -3, end }, new double[] { Math.max(idle, 1.0), Math.max(idle, 1.0) });
			series.setLineColor(color(names, configuration));
			series.setMarker(SeriesMarkers.NONE);
			series.setLineStyle(dashed());
		}
		BitmapEncoder.saveBitmap(chart, file.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
	}

	/**
	 * One configuration over its rounds; batch figures over the rounds whose batch finished.
	 * @param name the configuration
	 * @param rounds how many rounds it ran
	 * @param finished in how many its batch finished before the cap
	 * @param medianBatchSeconds the median batch duration of those (NaN when none)
	 * @param batchRatio that over naive's
	 * @param idleP99 median idle p99 (ms)
	 * @param duringP99 median p99 during the batch (ms)
	 * @param afterP99 median p99 in the idle window after the batch (ms)
	 * @param duringOverIdle median of the rounds' p99 during ÷ idle
	 * @param duringOverAfter median of the rounds' p99 during ÷ idle after
	 * @param errors API errors, every window of every round
	 * @param gcDuringBatch median GC pauses during the batch: count, total ms, max ms
	 * @param yields median batch yields (NaN for naive)
	 */
	record Summary(String name, int rounds, int finished, double medianBatchSeconds, double batchRatio, double idleP99,
			double duringP99, double afterP99, double duringOverIdle, double duringOverAfter, long errors,
			double[] gcDuringBatch, double yields) {
	}

	/**
	 * What the machine leaves free for one configuration's batch: its CPU-seconds with no load
	 * over the cores the load alone leaves idle.
	 * @param name the configuration
	 * @param aloneSeconds the fetch with no load (median of the rounds that ran it)
	 * @param aloneCpuSeconds the machine's busy CPU-seconds during it
	 * @param freeCores the cores idle under the load alone (median of the rounds' idle windows)
	 * @param spareSeconds the batch time that would use only those cores
	 * @param batchOverSpare the batch under load (median) over that time
	 */
	record PhysicalLimit(String name, double aloneSeconds, double aloneCpuSeconds, double freeCores,
			double spareSeconds, double batchOverSpare) {
	}

	static List<PhysicalLimit> physicalLimits(List<String> names, List<Round> rounds, List<Summary> summaries) {
		int cores = Runtime.getRuntime().availableProcessors();
		List<PhysicalLimit> limits = new ArrayList<>();
		for (Summary summary : summaries) {
			List<Round> of = of(rounds, summary.name());
			double alone = median(of.stream().map((round) -> round.aloneSeconds).toList());
			double cpu = median(of.stream().map((round) -> round.aloneMachineCpuSeconds).toList());
			double free = cores * (1 - median(of.stream().map((round) -> round.idleMachineCpu).toList()));
			double spare = Math.max(cpu / free, alone);
			limits.add(new PhysicalLimit(summary.name(), alone, cpu, free, spare, summary.medianBatchSeconds() / spare));
		}
		return limits;
	}

	/**
	 * One of the issue's goals, as measured in this run.
	 * @param name the goal
	 * @param measured the figure
	 * @param met whether it was met
	 */
	private record Goal(String name, String measured, boolean met) {
	}

}
