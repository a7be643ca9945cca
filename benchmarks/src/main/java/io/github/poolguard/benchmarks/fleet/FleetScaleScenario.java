package io.github.poolguard.benchmarks.fleet;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.github.poolguard.routing.Workload;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scale-out under load, the rolling-deploy incident: instances of one application (app pool 10,
 * background pool 3, monitor 1 each) on one embedded PostgreSQL with {@code max_connections} 40,
 * going 1 → 6 → 2 while each serves a steady load, first with fleet sharing off (what every pool
 * does without PoolGuard acting: the configured sizes) and then on, in one run. Reports refused
 * logins (read from the server's own log), failed requests, request latency (p50/p99/max of a
 * request = borrow an app connection + a 5 ms query), the peak of the fleet's sessions, and the
 * seconds until the fleet's sessions fit the usable connections after each change.
 * {@code FleetScaleScenario [results-dir]}; {@code -Dbench.phase-seconds=} (default 25).
 */
public final class FleetScaleScenario {

	private static final int MAX_CONNECTIONS = 40;

	// 40 − 3 superuser-reserved − 3 kept free (poolguard.budget.reserved-connections)
	private static final int USABLE = 34;

	private static final int[] STEPS = { 1, 6, 2 };

	private static final int REQUEST_THREADS = 8;

	private FleetScaleScenario() {
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path results = Path.of((args.length > 0) ? args[0] : "benchmarks/results");
		Files.createDirectories(results);
		int phaseSeconds = Integer.getInteger("bench.phase-seconds", 25);
		Path logDirectory = Files.createTempDirectory("poolguard-fleet-bench");
		Path log = logDirectory.resolve("postgresql.log");
		List<Mode> modes = new ArrayList<>();
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setServerConfig("max_connections", String.valueOf(MAX_CONNECTIONS))
			.setServerConfig("superuser_reserved_connections", "3")
			.setServerConfig("logging_collector", "on")
			.setServerConfig("log_directory", logDirectory.toString())
			.setServerConfig("log_filename", "postgresql.log")
			.start()) {
			String admin = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
			execute(admin, "CREATE ROLE bench_fleet LOGIN PASSWORD 'bench-fleet'");
			for (String name : List.of("naive", "sharing")) {
				execute(admin, "CREATE DATABASE fleet_" + name + " OWNER bench_fleet");
				String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/fleet_" + name;
				Mode mode = run(name, url, admin, log, phaseSeconds);
				modes.add(mode);
				System.out.println(mode.summary());
			}
		}
		write(results, modes, phaseSeconds);
	}

	private static Mode run(String name, String url, String admin, Path log, int phaseSeconds) throws Exception {
		Mode mode = new Mode(name);
		List<Instance> running = new ArrayList<>();
		long start = System.nanoTime();
		try (SessionSampler sampler = new SessionSampler(admin, "fleet-" + name + ":", start)) {
			int counter = 0;
			for (int step = 0; step < STEPS.length; step++) {
				int target = STEPS[step];
				Phase phase = new Phase(running.size() + " → " + target, seconds(start));
				int refusedBefore = refusals(log);
				sampler.phase(phase);
				if (target > running.size()) {
					List<String> ids = new ArrayList<>();
					for (int i = running.size(); i < target; i++) {
						ids.add("i" + (++counter));
					}
					List<Instance> started = ids.parallelStream().map((id) -> {
						try {
							return Instance.start(name, url, id, phase);
						}
						catch (RuntimeException ex) {
							phase.failedStarts.incrementAndGet();
							System.out.println(name + ": instance " + id + " failed to start: " + rootMessage(ex));
							return null;
						}
					}).filter(java.util.Objects::nonNull).toList();
					running.addAll(started);
				}
				else {
					List<Instance> leaving = new ArrayList<>(running.subList(target, running.size()));
					running.removeAll(leaving);
					leaving.parallelStream().forEach(Instance::close);
				}
				running.forEach((instance) -> instance.phase(phase));
				Thread.sleep(phaseSeconds * 1000L);
				phase.end = seconds(start);
				phase.refused = refusals(log) - refusedBefore;
				mode.phases.add(phase);
			}
			mode.timeline = sampler.timeline();
		}
		finally {
			running.parallelStream().forEach(Instance::close);
		}
		return mode;
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

	private static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

	private static int refusals(Path log) throws IOException {
		if (!Files.exists(log)) {
			return 0;
		}
		try (Stream<String> lines = Files.lines(log)) {
			return (int) lines.filter((line) -> line.contains("too many clients") || line.contains("remaining connection slots"))
				.count();
		}
	}

	private static void execute(String url, String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static void write(Path results, List<Mode> modes, int phaseSeconds) throws IOException {
		StringBuilder md = new StringBuilder();
		md.append("# Scale-out 1 → 6 → 2 under load, fleet sharing off vs on\n\n")
			.append("max_connections ").append(MAX_CONNECTIONS).append(", ").append(USABLE)
			.append(" usable (3 superuser-reserved, 3 kept free); each instance: app pool 10, background pool 3,")
			.append(" monitor 1 (14), ").append(REQUEST_THREADS)
			.append(" request threads (borrow an app connection, 5 ms query, 20 ms think) and 1 background thread; ")
			.append(phaseSeconds).append(" s per phase; monitor interval 1 s.\n\n")
			.append("| mode | phase | instances that failed to start | refused logins | failed requests | requests | p50 ms | p99 ms | max ms | peak fleet sessions | peak without startup checks | s until sessions ≤ usable | s until sessions settle |\n")
			.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		StringBuilder json = new StringBuilder("{\n  \"maxConnections\": " + MAX_CONNECTIONS + ", \"usable\": " + USABLE
				+ ", \"phaseSeconds\": " + phaseSeconds + ",\n  \"modes\": [\n");
		for (int m = 0; m < modes.size(); m++) {
			Mode mode = modes.get(m);
			json.append("    {\"mode\": \"").append(mode.name).append("\", \"phases\": [\n");
			for (int p = 0; p < mode.phases.size(); p++) {
				Phase phase = mode.phases.get(p);
				Histogram histogram = phase.recorder.getIntervalHistogram();
				double converge = phase.convergedAt(USABLE);
				md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d | %d | %s | %.1f |%n",
						mode.name, phase.name, phase.failedStarts.get(), phase.refused, phase.failed.get(), histogram.getTotalCount(),
						histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
						histogram.getMaxValue() / 1e3, phase.peak, phase.peakWithoutStartupChecks,
						Double.isNaN(converge) ? "never" : String.format(Locale.ROOT, "%.1f", converge),
						phase.settledAt()));
				json.append(String.format(Locale.ROOT,
						"      {\"phase\": \"%s\", \"failedStarts\": %d, \"refused\": %d, \"failed\": %d, \"requests\": %d, \"p50Ms\": %.2f,"
								+ " \"p99Ms\": %.2f, \"maxMs\": %.2f, \"peakSessions\": %d, \"peakWithoutStartupChecks\": %d, \"secondsToFit\": %s, \"secondsToSettle\": %.2f}%s%n",
						phase.name, phase.failedStarts.get(), phase.refused, phase.failed.get(), histogram.getTotalCount(),
						histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
						histogram.getMaxValue() / 1e3, phase.peak, phase.peakWithoutStartupChecks,
						Double.isNaN(converge) ? "null"
								: String.format(Locale.ROOT, "%.2f", converge), phase.settledAt(),
						(p < mode.phases.size() - 1) ? "," : ""));
			}
			json.append("    ]}").append((m < modes.size() - 1) ? "," : "").append('\n');
		}
		json.append("  ]\n}\n");
		Files.writeString(results.resolve("fleet-scale.md"), md);
		Files.writeString(results.resolve("fleet-scale.json"), json);
		chart(results.resolve("fleet-scale.png"), modes);
		System.out.print(md);
	}

	private static void chart(Path file, List<Mode> modes) throws IOException {
		XYChart chart = new XYChartBuilder().width(1200)
			.height(520)
			.title("Sessions of the fleet on the server while instances go 1 → 6 → 2 (max_connections "
					+ MAX_CONNECTIONS + ")")
			.xAxisTitle("seconds since the first instance started")
			.yAxisTitle("client sessions of the application")
			.build();
		chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
		chart.getStyler().setChartBackgroundColor(Color.WHITE);
		chart.getStyler().setMarkerSize(0);
		double end = 1;
		for (Mode mode : modes) {
			List<Double> x = new ArrayList<>();
			List<Double> y = new ArrayList<>();
			mode.timeline.forEach((second, sessions) -> {
				x.add(second);
				y.add((double) sessions);
			});
			if (!x.isEmpty()) {
				end = Math.max(end, x.get(x.size() - 1));
				XYSeries series = chart.addSeries("sharing " + (mode.name.equals("naive") ? "off" : "on"), x, y);
				series.setLineColor(mode.name.equals("naive") ? new Color(200, 60, 40) : new Color(40, 90, 200));
				series.setMarker(SeriesMarkers.NONE);
			}
		}
		for (int[] line : new int[][] { { USABLE, 0 }, { MAX_CONNECTIONS - 3, 1 } }) {
			XYSeries series = chart.addSeries((line[1] == 0) ? "usable (" + USABLE + ")"
					: "ordinary roles' limit (" + (MAX_CONNECTIONS - 3) + ")", new double[] { 0, end },
					new double[] { line[0], line[0] });
			series.setLineColor(Color.GRAY);
			series.setMarker(SeriesMarkers.NONE);
			series.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
					(line[1] == 0) ? new float[] { 6f, 4f } : new float[] { 2f, 2f }, 0f));
		}
		BitmapEncoder.saveBitmap(chart, file.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
	}

	static final class Mode {

		final String name;

		final List<Phase> phases = new ArrayList<>();

		Map<Double, Integer> timeline = Map.of();

		Mode(String name) {
			this.name = name;
		}

		String summary() {
			StringBuilder text = new StringBuilder(this.name + ":");
			for (Phase phase : this.phases) {
				text.append(String.format(Locale.ROOT, " [%s failed starts %d refused %d failed %d peak %d]", phase.name,
						phase.failedStarts.get(), phase.refused,
						phase.failed.get(), phase.peak));
			}
			return text.toString();
		}

	}

	static final class Phase {

		final String name;

		final double start;

		volatile double end = Double.NaN;

		int refused;

		volatile int peak;

		volatile int peakWithoutStartupChecks;

		final AtomicLong failed = new AtomicLong();

		final AtomicLong failedStarts = new AtomicLong();

		final Recorder recorder = new Recorder(3);

		final List<double[]> samples = new CopyOnWriteArrayList<>();

		Phase(String name, double start) {
			this.name = name;
			this.start = start;
		}

		// seconds from the phase's start to the last sample more than one session away from where
		// the phase ended: how long the fleet took to settle (instances starting or stopping, pools
		// resizing)
		double settledAt() {
			if (this.samples.isEmpty()) {
				return Double.NaN;
			}
			double last = this.samples.get(this.samples.size() - 1)[1];
			double settled = 0;
			for (double[] sample : this.samples) {
				if (Math.abs(sample[1] - last) > 1) {
					settled = sample[0] - this.start;
				}
			}
			return settled;
		}

		// seconds from the phase's start after which every sample fits, NaN if the last does not
		double convergedAt(int usable) {
			double fitSince = 0;
			for (double[] sample : this.samples) {
				if (sample[1] > usable) {
					fitSince = Double.NaN;
				}
				else if (Double.isNaN(fitSince)) {
					fitSince = sample[0] - this.start;
				}
			}
			return fitSince;
		}

	}

	/**
	 * Samples the fleet's sessions every 50 ms on one direct connection of its own.
	 */
	static final class SessionSampler implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Map<Double, Integer> timeline = new LinkedHashMap<>();

		private final Thread thread;

		private volatile Phase phase;

		SessionSampler(String admin, String prefix, long start) throws SQLException {
			Properties properties = new Properties();
			properties.setProperty("user", "postgres");
			properties.setProperty("password", "postgres");
			properties.setProperty("ApplicationName", "bench-sampler");
			Connection connection = DriverManager.getConnection(admin, properties);
			this.thread = new Thread(() -> {
				try (connection; Statement statement = connection.createStatement()) {
					while (this.running.get()) {
						try (ResultSet rs = statement.executeQuery(
								"SELECT count(*), count(*) FILTER (WHERE application_name NOT LIKE '%:startup%')"
										+ " FROM pg_stat_activity WHERE starts_with(application_name, '" + prefix + "')")) {
							rs.next();
							int sessions = rs.getInt(1);
							int withoutStartupChecks = rs.getInt(2);
							double at = seconds(start);
							synchronized (this.timeline) {
								this.timeline.put(at, sessions);
							}
							Phase current = this.phase;
							if (current != null) {
								current.samples.add(new double[] { at, sessions });
								current.peak = Math.max(current.peak, sessions);
								current.peakWithoutStartupChecks = Math.max(current.peakWithoutStartupChecks,
										withoutStartupChecks);
							}
						}
						Thread.sleep(50);
					}
				}
				catch (SQLException | InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			}, "bench-session-sampler");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		void phase(Phase phase) {
			this.phase = phase;
		}

		Map<Double, Integer> timeline() {
			synchronized (this.timeline) {
				return new LinkedHashMap<>(this.timeline);
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join();
		}

	}

	/**
	 * One loaded instance: a context of its own and the threads that keep it busy.
	 */
	static final class Instance implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<Thread> threads = new ArrayList<>();

		private volatile Phase phase;

		private Instance(ConfigurableApplicationContext context, Phase phase) {
			this.context = context;
			this.phase = phase;
			DataSource dataSource = context.getBean(DataSource.class);
			for (int i = 0; i <= REQUEST_THREADS; i++) {
				boolean request = i < REQUEST_THREADS;
				Thread thread = new Thread(() -> load(dataSource, request), "load-" + i);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		static Instance start(String mode, String url, String id, Phase phase) {
			return new Instance(new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
				.properties("spring.application.name=fleet-" + mode, "spring.datasource.url=" + url,
						"spring.datasource.username=bench_fleet", "spring.datasource.password=bench-fleet",
						"spring.datasource.hikari.maximum-pool-size=10", "poolguard.background.hikari.maximum-pool-size=3",
						"poolguard.instance-id=" + id, "poolguard.monitor.interval=1s",
						"poolguard.budget.on-overcommit=warn", "poolguard.budget.wait-for-database=5s",
						"poolguard.fleet.sharing=" + !mode.equals("naive"), "logging.level.root=WARN",
						"logging.level.io.github.poolguard.internal.fleet=INFO", "spring.main.banner-mode=off")
				.run(), phase);
		}

		void phase(Phase phase) {
			this.phase = phase;
		}

		private void load(DataSource dataSource, boolean request) {
			while (this.running.get()) {
				long start = System.nanoTime();
				try {
					(request ? Workload.APP : Workload.BACKGROUND).call(() -> {
						try (Connection connection = dataSource.getConnection();
								Statement statement = connection.createStatement()) {
							statement.execute(request ? "SELECT pg_sleep(0.005)" : "SELECT pg_sleep(0.05)");
						}
						return null;
					});
					if (request) {
						this.phase.recorder.recordValue((System.nanoTime() - start) / 1000);
					}
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					if (this.running.get() && request) {
						this.phase.failed.incrementAndGet();
					}
				}
			}
		}

		@Override
		public void close() {
			if (this.running.compareAndSet(true, false)) {
				for (Thread thread : this.threads) {
					try {
						thread.join();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				this.context.close();
			}
		}


	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
			"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
	static class App {

	}

}
