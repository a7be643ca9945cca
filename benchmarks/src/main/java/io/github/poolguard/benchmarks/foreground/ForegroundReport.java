package io.github.poolguard.benchmarks.foreground;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.poolguard.benchmarks.foreground.Round.Phase;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes suite 1's results: JSON (every round), a Markdown table (per configuration, rounds
 * pooled) and a PNG of API p99 per second around the batch.
 */
final class ForegroundReport {

	private static final String[] CONFIGURATIONS = { "naive", "guarded" };

	private final List<Round> rounds;

	private final LoadPlan plan;

	private final int universe;

	private final Duration idle;

	private final String loadBefore;

	private final String loadAfter;

	private final Duration suite;

	private final LocalDate date;

	ForegroundReport(List<Round> rounds, LoadPlan plan, int universe, Duration idle, String loadBefore,
			String loadAfter, Duration suite, LocalDate date) {
		this.rounds = rounds;
		this.plan = plan;
		this.universe = universe;
		this.idle = idle;
		this.loadBefore = loadBefore;
		this.loadAfter = loadAfter;
		this.suite = suite;
		this.date = date;
	}

	void write(Path results, String name) throws IOException {
		Files.writeString(results.resolve(name + ".json"), json());
		Files.writeString(results.resolve(name + ".md"), markdown());
		chart(results.resolve(name + ".png"));
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
		return this.rounds.stream().filter((round) -> round.configuration.equals(configuration)).toList();
	}

	private double meanBatchSeconds(String configuration) {
		return of(configuration).stream().mapToDouble((round) -> round.batchSeconds).average().orElse(Double.NaN);
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

	private String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("| configuration | phase | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | load generator's send lag p99 ms | errors: pool timeout"
				+ " / other 5xx / client timeout / I/O / not sent | batch duration | peak server connections by application_name |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (String configuration : CONFIGURATIONS) {
			for (Phase phase : phases()) {
				PhaseStats stats = pooled(configuration, phase);
				long poolTimeouts = Math.min(poolTimeouts(configuration, phase),
						stats.outcomes.get(Load.Outcome.HTTP_5XX));
				md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d / %d / %d / %d / %d | %s | %s |%n",
						configuration, phase.label, stats.requests(), stats.throughput(),
						stats.millis(50), stats.millis(95), stats.millis(99), stats.maxMillis(), stats.sendLagMillis(99),
						poolTimeouts,
						stats.outcomes.get(Load.Outcome.HTTP_5XX) - poolTimeouts,
						stats.outcomes.get(Load.Outcome.CLIENT_TIMEOUT),
						stats.outcomes.get(Load.Outcome.IO_ERROR), stats.outcomes.get(Load.Outcome.NOT_SENT),
						(phase == Phase.BATCH) ? batchText(configuration) : "–",
						peaksText(peaks(configuration, phase))));
			}
		}
		md.append('\n');
		md.append("| ratio | naive | guarded |\n|---|---|---|\n");
		md.append(String.format(Locale.ROOT, "| API p99 during batch ÷ idle p99 | %.2f× | %.2f× |%n", ratio("naive"),
				ratio("guarded")));
		if (phases().contains(Phase.AFTER)) {
			md.append(String.format(Locale.ROOT, "| API p99 during batch ÷ idle-after-batch p99 | %.2f× | %.2f× |%n",
					ratio("naive", Phase.AFTER), ratio("guarded", Phase.AFTER)));
		}
		md.append(String.format(Locale.ROOT, "| API p99 during batch ÷ guarded's | %.2f× | 1.00× |%n",
				pooled("naive", Phase.BATCH).millis(99) / pooled("guarded", Phase.BATCH).millis(99)));
		md.append(String.format(Locale.ROOT, "| batch duration ÷ naive's | 1.00× | %s%.2f× |%n",
				of("guarded").stream().allMatch((round) -> round.batchFinished) ? "" : "≥ ",
				meanBatchSeconds("guarded") / meanBatchSeconds("naive")));
		md.append(String.format(Locale.ROOT, "| peak connections idle in transaction during batch | %s | %s |%n",
				peaksText(idleInTransaction("naive")), peaksText(idleInTransaction("guarded"))));
		md.append('\n');
		md.append("| goal (issue 13) | measured | met |\n|---|---|---|\n");
		for (Goal goal : goals()) {
			md.append("| ").append(goal.name()).append(" | ").append(goal.measured()).append(" | ")
				.append(goal.met() ? "yes" : "**no**").append(" |\n");
		}
		md.append('\n');
		md.append("Per round (in the order run):\n\n");
		md.append("| round | idle p99 ms before / after | batch p50 / p99 / max ms | errors | batch | app JVM CPU idle → batch (cores)"
				+ " | machine busy idle → batch | GC pauses (count, total, max ms) | load average before → after"
				+ " | batch yields | batch summary (app log) |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (Round round : this.rounds) {
			md.append(String.format(Locale.ROOT,
					"| %s | %.1f / %.1f | %.1f / %.1f / %.1f | %d | %.1f s %s | %.2f → %.2f | %.0f %% → %.0f %% | %.0f, %.0f, %.1f | %s → %s | %d | %s |%n",
					round.label(), round.idle.millis(99),
					(round.idleAfter != null) ? round.idleAfter.millis(99) : Double.NaN, round.batch.millis(50), round.batch.millis(99),
					round.batch.maxMillis(), round.batch.errors(), round.batchSeconds,
					round.batchFinished ? "" : "(not finished)", round.idleAppCpu, round.batchAppCpu,
					round.idleMachineCpu * 100, round.batchMachineCpu * 100, round.gcPauses[0], round.gcPauses[1],
					round.gcPauses[2], round.loadBefore, round.loadAfter, round.yieldLogLines,
					round.batchSummary.replace("|", "/")));
		}
		md.append('\n');
		md.append(String.format(Locale.ROOT, "%s, %d tickers (full 365-day refetch, `forceFull`), %s,"
				+ " %d s idle baseline per round%s, %d round(s) per configuration alternated, suite %d s,"
				+ " %d cores, Java %s, load average %s before → %s after.%n", this.date, this.universe, this.plan.describe(),
				this.idle.toSeconds(), phases().contains(Phase.AFTER) ? " (and one after the batch)" : "",
				this.rounds.size() / 2, this.suite.toSeconds(),
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), this.loadBefore,
				this.loadAfter));
		Round first = this.rounds.get(0);
		if (!Double.isNaN(first.seedSeconds)) {
			md.append(String.format(Locale.ROOT, "Seeding fetch (naive, no load, empty tables): %.1f s.%n",
					first.seedSeconds));
		}
		return md.toString();
	}

	private List<Goal> goals() {
		List<Round> guarded = of("guarded");
		long finished = guarded.stream().filter((round) -> round.batchFinished).count();
		boolean allFinished = finished == guarded.size();
		double batchRatio = meanBatchSeconds("guarded") / meanBatchSeconds("naive");
		long errors = phases().stream().mapToLong((phase) -> pooled("guarded", phase).errors()).sum();
		return List.of(
				new Goal("guarded batch duration ÷ naive's ≤ 1.5× (at about half load)",
						String.format(Locale.ROOT, "%s%.2f×", allFinished ? "" : "≥ ", batchRatio),
						allFinished && batchRatio <= 1.5),
				new Goal("guarded API p99 during batch ÷ guarded idle p99 ≤ 1.3×",
						String.format(Locale.ROOT, "%.2f×", ratio("guarded")), ratio("guarded") <= 1.3),
				new Goal("the same against the idle window after the batch (drift check)",
						String.format(Locale.ROOT, "%.2f×", ratio("guarded", Phase.AFTER)),
						ratio("guarded", Phase.AFTER) <= 1.3),
				new Goal("guarded batch completes in every round", finished + " of " + guarded.size(), allFinished),
				new Goal("zero API errors with guarded (every phase)", String.valueOf(errors), errors == 0));
	}

	private String batchText(String configuration) {
		long capped = of(configuration).stream().filter((round) -> !round.batchFinished).count();
		String mean = String.format(Locale.ROOT, "%.1f s", meanBatchSeconds(configuration));
		return (capped == 0) ? mean
				: "≥ " + mean + " (" + capped + " of " + of(configuration).size() + " runs stopped at the cap)";
	}

	private double ratio(String configuration) {
		return ratio(configuration, Phase.IDLE);
	}

	private double ratio(String configuration, Phase idle) {
		if (!phases().contains(idle)) {
			return Double.NaN;
		}
		return pooled(configuration, Phase.BATCH).millis(99) / pooled(configuration, idle).millis(99);
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
				+ "  \"idleSeconds\": %d,%n  \"cores\": %d,%n  \"java\": \"%s\",%n  \"loadAverageBefore\": \"%s\",%n"
				+ "  \"loadAverageAfter\": \"%s\",%n  \"suiteSeconds\": %d,%n", this.date, this.universe, escape(this.plan.describe()),
				this.idle.toSeconds(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
				this.loadBefore, this.loadAfter, this.suite.toSeconds()));
		json.append(this.plan.jsonMembers());
		json.append("  \"goals\": [\n");
		List<Goal> goals = goals();
		for (int g = 0; g < goals.size(); g++) {
			Goal goal = goals.get(g);
			json.append(String.format(Locale.ROOT, "    {\"goal\": \"%s\", \"measured\": \"%s\", \"met\": %s}%s%n",
					escape(goal.name()), escape(goal.measured()), goal.met(), (g < goals.size() - 1) ? "," : ""));
		}
		json.append("  ],\n");
		json.append("  \"configurations\": {\n");
		for (int c = 0; c < CONFIGURATIONS.length; c++) {
			String configuration = CONFIGURATIONS[c];
			json.append("    \"").append(configuration).append("\": {\n");
			for (Phase phase : phases()) {
				json.append("      \"").append(jsonName(phase)).append("\": ")
					.append(stats(pooled(configuration, phase), poolTimeouts(configuration, phase)))
					.append(",\n");
			}
			json.append(String.format(Locale.ROOT, "      \"p99DuringBatchOverIdle\": %.3f,%n", ratio(configuration)));
			json.append(String.format(Locale.ROOT, "      \"p99DuringBatchOverIdleAfter\": %.3f,%n",
					ratio(configuration, Phase.AFTER)));
			json.append(String.format(Locale.ROOT, "      \"meanBatchSeconds\": %.2f,%n", meanBatchSeconds(configuration)));
			json.append("      \"peakConnectionsDuringBatch\": ").append(map(peaks(configuration, Phase.BATCH))).append(",\n");
			json.append("      \"peakIdleInTransactionDuringBatch\": ").append(map(idleInTransaction(configuration))).append(",\n");
			json.append("      \"peakConnectionsIdle\": ").append(map(peaks(configuration, Phase.IDLE))).append("\n");
			json.append("    }").append((c < CONFIGURATIONS.length - 1) ? ",\n" : "\n");
		}
		json.append("  },\n  \"rounds\": [\n");
		for (int i = 0; i < this.rounds.size(); i++) {
			Round round = this.rounds.get(i);
			json.append("    {\n");
			json.append(String.format(Locale.ROOT, "      \"configuration\": \"%s\",%n      \"number\": %d,%n",
					round.configuration, round.number));
			for (Phase phase : phases()) {
				json.append("      \"").append(jsonName(phase)).append("\": ")
					.append(stats(round.stats(phase), round.poolTimeouts(phase)))
					.append(",\n");
			}
			json.append(String.format(Locale.ROOT, "      \"batchSeconds\": %.2f,%n      \"batchFinished\": %s,%n",
					round.batchSeconds, round.batchFinished));
			json.append("      \"batchFinalState\": \"").append(escape(round.batchFinalState)).append("\",\n");
			json.append("      \"batchSummary\": \"").append(escape(round.batchSummary)).append("\",\n");
			json.append("      \"batchYieldLogLines\": ").append(round.yieldLogLines).append(",\n");
			json.append(String.format(Locale.ROOT,
					"      \"appCpuCoresIdle\": %.3f,%n      \"appCpuCoresBatch\": %.3f,%n      \"machineBusyIdle\": %.3f,%n"
							+ "      \"machineBusyBatch\": %.3f,%n      \"gcPauses\": {\"count\": %.0f, \"totalMs\": %.1f, \"maxMs\": %.1f},%n",
					round.idleAppCpu, round.batchAppCpu, round.idleMachineCpu, round.batchMachineCpu, round.gcPauses[0],
					round.gcPauses[1], round.gcPauses[2]));
			json.append("      \"peakConnectionsIdle\": ").append(map(round.idlePeaks)).append(",\n");
			json.append("      \"peakConnectionsDuringBatch\": ").append(map(round.batchPeaks)).append(",\n");
			json.append("      \"peakIdleInTransactionDuringBatch\": ").append(map(round.batchIdleInTransactionPeaks)).append(",\n");
			json.append(String.format(Locale.ROOT, "      \"loadAverageBefore\": \"%s\",%n      \"loadAverageAfter\": \"%s\",%n",
					round.loadBefore, round.loadAfter));
			if (!Double.isNaN(round.seedSeconds)) {
				json.append(String.format(Locale.ROOT, "      \"seedFetchSeconds\": %.2f,%n", round.seedSeconds));
			}
			json.append("      \"p99MsPerSecondSinceBatchStart\": {");
			StringBuilder series = new StringBuilder();
			round.perSecondP99.forEach((second, p99) -> series.append((series.length() > 0) ? ", " : "")
				.append('"').append(second).append("\": ").append(String.format(Locale.ROOT, "%.2f", p99)));
			json.append(series).append("}\n");
			json.append("    }").append((i < this.rounds.size() - 1) ? ",\n" : "\n");
		}
		json.append("  ]\n}\n");
		return json.toString();
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

	private void chart(Path file) throws IOException {
		Map<String, Double> idleP99 = new TreeMap<>();
		for (String configuration : CONFIGURATIONS) {
			idleP99.put(configuration, pooled(configuration, Phase.IDLE).millis(99));
		}
		chart(file, rounds, idleP99, this.plan.describe(), universe);
	}

	static void chart(Path file, List<Round> rounds, Map<String, Double> idleP99, String load, int universe)
			throws IOException {
		XYChart chart = new XYChartBuilder().width(1200)
			.height(560)
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
			boolean naive = round.configuration.equals("naive");
			Color color = naive ? new Color(200, 60, 40) : new Color(40, 90, 200);
			if (round.number > 1) {
				color = naive ? new Color(240, 150, 110) : new Color(110, 160, 235);
			}
			series.setLineColor(color);
			series.setMarkerColor(color);
			series.setMarker(SeriesMarkers.CIRCLE);
			series.setLineStyle(new BasicStroke(round.number > 1 ? 1.5f : 2.5f));
		}
		for (String configuration : CONFIGURATIONS) {
			double idle = idleP99.get(configuration);
			int end = (int) Math.ceil(rounds.stream().mapToDouble((round) -> round.batchSeconds).max().orElse(1));
			XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s idle p99 %.0f ms", configuration, idle),
					new double[] { -3, end }, new double[] { idle, idle });
			Color color = configuration.equals("naive") ? new Color(200, 60, 40) : new Color(40, 90, 200);
			series.setLineColor(color);
			series.setMarker(SeriesMarkers.NONE);
			series.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
					new float[] { 6f, 4f }, 0f));
		}
		BitmapEncoder.saveBitmap(chart, file.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
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
