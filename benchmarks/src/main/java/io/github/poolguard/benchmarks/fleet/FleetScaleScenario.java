package io.github.poolguard.benchmarks.fleet;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.autoconfigure.PoolGuardAutoConfiguration;
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
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scale-out under load, the rolling-deploy incident: instances of one application (app pool 10,
 * background pool 3, monitor 1 each) on one embedded PostgreSQL with {@code max_connections} 40,
 * going 1 → 6 → 2 while each serves a steady load, first with fleet sharing off (what every pool
 * does without PoolGuard acting: the configured sizes) and then on, in one run. Reports refused
 * logins (read from the server's own log), failed requests, request latency (p50/p99/max of a
 * request = borrow an app connection + a 5 ms query), the peak of the fleet's sessions, and the
 * seconds until the fleet's sessions fit the usable connections after each change. Then, with the 2
 * instances left, another service (a plain JDBC client, a role and application_name of its own)
 * opens 12 sessions one every 2 s and closes them one every 2 s (issue 29). Per phase it also
 * reports the fleet's server logins (from {@code log_connections}/{@code log_disconnections}, by
 * application_name: startup checks, monitors, pools) and how often a pool's maximum changed.
 * {@code FleetScaleScenario [results-dir]}; {@code -Dbench.phase-seconds=} (default 25).
 */
public final class FleetScaleScenario {

	private static final int MAX_CONNECTIONS = 40;

	// 40 − 3 superuser-reserved − 3 kept free (poolguard.budget.reserved-connections)
	private static final int USABLE = 34;

	private static final int[] STEPS = { 1, 6, 2 };

	private static final int REQUEST_THREADS = 8;

	private static final String FLEET_ROLE = "bench_fleet";

	// the other service of the last phase (issue 29): a role and application_name of its own
	private static final String OTHER_ROLE = "bench_other";

	private static final String OTHER_APPLICATION = "bench-other-service";

	private static final int OTHER_SESSIONS = 12;

	private static final long OTHER_STEP_MILLIS = 2000;

	// after the other service's last session closed: growth waits for 3 monitor samples (1 s)
	private static final int SETTLE_AFTER_OTHER_SERVICE_SECONDS = 8;

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
			// every login: "connection authorized: user=… database=… application_name=…", and the
			// pid and role on every line, so a refusal can be told apart by role and matched to
			// its login
			.setServerConfig("log_connections", "on")
			.setServerConfig("log_disconnections", "on")
			.start()) {
			String admin = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
			// set here, not on the command line, which the embedded server splits at spaces
			execute(admin, "ALTER SYSTEM SET log_line_prefix = '%m [%p] %q%u@%d [%a] '");
			execute(admin, "SELECT pg_reload_conf()");
			execute(admin, "CREATE ROLE " + FLEET_ROLE + " LOGIN PASSWORD 'bench-fleet'");
			execute(admin, "CREATE ROLE " + OTHER_ROLE + " LOGIN PASSWORD 'bench-other'");
			ServerLog serverLog = new ServerLog(log);
			for (String name : List.of("naive", "sharing")) {
				execute(admin, "CREATE DATABASE fleet_" + name + " OWNER " + FLEET_ROLE);
				execute(admin, "GRANT CONNECT ON DATABASE fleet_" + name + " TO " + OTHER_ROLE);
				String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/fleet_" + name;
				Mode mode = run(name, url, admin, serverLog, phaseSeconds);
				// every session of the mode has ended: their disconnection lines name the last logins
				Thread.sleep(500);
				serverLog.read();
				modes.add(mode);
				System.out.println(mode.summary());
			}
		}
		write(results, modes, phaseSeconds);
	}

	private static Mode run(String name, String url, String admin, ServerLog log, int phaseSeconds) throws Exception {
		Mode mode = new Mode(name);
		List<Instance> running = new ArrayList<>();
		long start = System.nanoTime();
		try (SessionSampler sampler = new SessionSampler(admin, "fleet-" + name + ":", start)) {
			int counter = 0;
			log.read();
			for (int step = 0; step <= STEPS.length; step++) {
				boolean otherService = step == STEPS.length;
				int target = otherService ? running.size() : STEPS[step];
				Phase phase = new Phase(otherService ? running.size() + " + other service 0 → " + OTHER_SESSIONS + " → 0"
						: running.size() + " → " + target, seconds(start));
				phase.otherService = otherService;
				running.forEach((instance) -> phase.before.add(instance.id));
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
					sampler.instances.addAll(started);
				}
				else if (target < running.size()) {
					List<Instance> leaving = new ArrayList<>(running.subList(target, running.size()));
					running.removeAll(leaving);
					sampler.instances.removeAll(leaving);
					leaving.parallelStream().forEach(Instance::close);
				}
				running.forEach((instance) -> instance.phase(phase));
				if (otherService) {
					running.forEach((instance) -> phase.poolsAtStart.add(instance.id + " app " + instance.app.getMaximumPoolSize()
							+ " (" + instance.openApp() + " open) + background " + instance.background.getMaximumPoolSize()));
					otherService(url, phase);
					Thread.sleep(SETTLE_AFTER_OTHER_SERVICE_SECONDS * 1000L);
					running.forEach((instance) -> phase.poolsAtEnd.add(instance.id + " app " + instance.app.getMaximumPoolSize()
							+ " (" + instance.openApp() + " open) + background " + instance.background.getMaximumPoolSize()));
				}
				else {
					Thread.sleep(phaseSeconds * 1000L);
				}
				phase.end = seconds(start);
				// the logging collector writes within milliseconds; let the last lines in
				Thread.sleep(200);
				phase.logins = log.read();
				mode.phases.add(phase);
			}
			mode.timeline = sampler.timeline();
			mode.otherTimeline = sampler.otherTimeline();
		}
		finally {
			running.parallelStream().forEach(Instance::close);
		}
		return mode;
	}

	// Another service on the same server: a plain JDBC client with a role and application_name of
	// its own that opens OTHER_SESSIONS sessions one every 2 s, then closes them one every 2 s.
	// A login the server refuses is counted and not retried.
	private static void otherService(String url, Phase phase) throws InterruptedException {
		Properties properties = new Properties();
		properties.setProperty("user", OTHER_ROLE);
		properties.setProperty("password", "bench-other");
		properties.setProperty("ApplicationName", OTHER_APPLICATION);
		properties.setProperty("connectTimeout", "5");
		List<Connection> sessions = new ArrayList<>();
		try {
			for (int i = 0; i < OTHER_SESSIONS; i++) {
				try {
					Connection connection = DriverManager.getConnection(url, properties);
					try (Statement statement = connection.createStatement()) {
						statement.execute("SELECT 1");
					}
					sessions.add(connection);
					phase.otherOpened++;
				}
				catch (SQLException ex) {
					if ("53300".equals(ex.getSQLState())) {
						phase.otherRefusedAtClient++;
					}
					else {
						phase.otherFailed++;
						System.out.println("other service: login failed: " + ex.getMessage());
					}
				}
				Thread.sleep(OTHER_STEP_MILLIS);
			}
			while (!sessions.isEmpty()) {
				close(sessions.remove(0));
				Thread.sleep(OTHER_STEP_MILLIS);
			}
		}
		finally {
			sessions.forEach(FleetScaleScenario::close);
		}
	}

	private static void close(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			System.out.println("other service: close failed: " + ex.getMessage());
		}
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
			.append(phaseSeconds).append(" s per phase; monitor interval 1 s. Last phase: the 2 remaining instances")
			.append(" while another service (role ").append(OTHER_ROLE).append(", application_name ")
			.append(OTHER_APPLICATION).append(") opens ").append(OTHER_SESSIONS).append(" sessions one every ")
			.append(OTHER_STEP_MILLIS / 1000).append(" s and closes them one every ").append(OTHER_STEP_MILLIS / 1000)
			.append(" s, then ").append(SETTLE_AFTER_OTHER_SERVICE_SECONDS).append(" s more.\n\n")
			.append("| mode | phase | instances that failed to start | refused logins | failed requests | requests | p50 ms | p99 ms | max ms | peak fleet sessions | peak without startup checks | s until sessions ≤ usable | s until sessions settle |\n")
			.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		StringBuilder logins = new StringBuilder();
		logins.append("\n## Server logins and pool resizes\n\n")
			.append("Logins: \"connection authorized\" lines of the fleet's role in the server log (log_connections=on), less")
			.append(" logins the server refused right after authorizing them (superuser-reserved slots); the driver's")
			.append(" connections are another role. By application_name: startup checks (`:startup:`), monitors, and the")
			.append(" app and background pools. Resizes: changes of any instance's app or background pool maximum")
			.append(" (HikariDataSource#getMaximumPoolSize, sampled every 50 ms). \"running before\": instances that were")
			.append(" running when the phase began, whose pool logins are not a first fill; logins per resize is their")
			.append(" pool logins over their resizes.\n\n")
			.append("| mode | phase | server logins | startup checks | monitors | app + background pools | pool logins by instances running before | resizes | resizes of instances running before | pool logins per resize (running before) |\n")
			.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		StringBuilder other = new StringBuilder();
		other.append("\n## Another service comes and goes (issue 29)\n\n")
			.append("| mode | pools at start | other service sessions opened | refused logins of the other service | refused logins of the fleet | failed requests | resizes | server logins by the fleet | of which pools | pool logins per resize | peak fleet sessions | peak other-service sessions | peak client sessions on the server | pools at end |\n")
			.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
		StringBuilder json = new StringBuilder("{\n  \"maxConnections\": " + MAX_CONNECTIONS + ", \"usable\": " + USABLE
				+ ", \"phaseSeconds\": " + phaseSeconds + ",\n  \"modes\": [\n");
		for (int m = 0; m < modes.size(); m++) {
			Mode mode = modes.get(m);
			json.append("    {\"mode\": \"").append(mode.name).append("\", \"phases\": [\n");
			for (int p = 0; p < mode.phases.size(); p++) {
				Phase phase = mode.phases.get(p);
				LoginCounts counts = phase.logins;
				Histogram histogram = phase.recorder.getIntervalHistogram();
				double converge = phase.convergedAt(USABLE);
				md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d | %d | %s | %.1f |%n",
						mode.name, phase.name, phase.failedStarts.get(), counts.fleetRefused, phase.failed.get(), histogram.getTotalCount(),
						histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
						histogram.getMaxValue() / 1e3, phase.peak, phase.peakWithoutStartupChecks,
						Double.isNaN(converge) ? "never" : String.format(Locale.ROOT, "%.1f", converge),
						phase.settledAt()));
				int poolsBefore = counts.pools(phase.before);
				String perResize = perResize(poolsBefore, phase.resizesBefore.get());
				logins.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %s |%n", mode.name,
						phase.name, counts.all(), counts.role("startup"), counts.role("monitor"), counts.pools(), poolsBefore,
						phase.resizes.get(), phase.resizesBefore.get(), perResize));
				if (phase.otherService) {
					other.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %s | %d | %d | %d | %s |%n",
							mode.name, String.join("; ", phase.poolsAtStart), phase.otherOpened, counts.otherRefused,
							counts.fleetRefused, phase.failed.get(), phase.resizes.get(), counts.all(), counts.pools(),
							perResize(counts.pools(), phase.resizes.get()), phase.peak, phase.peakOther, phase.peakClients,
							String.join("; ", phase.poolsAtEnd)));
				}
				json.append(String.format(Locale.ROOT,
						"      {\"phase\": \"%s\", \"failedStarts\": %d, \"refused\": %d, \"failed\": %d, \"requests\": %d, \"p50Ms\": %.2f,"
								+ " \"p99Ms\": %.2f, \"maxMs\": %.2f, \"peakSessions\": %d, \"peakWithoutStartupChecks\": %d, \"secondsToFit\": %s, \"secondsToSettle\": %.2f,"
								+ " \"logins\": {\"all\": %d, \"startup\": %d, \"monitor\": %d, \"app\": %d, \"background\": %d, \"poolsOfInstancesRunningBefore\": %d,"
								+ " \"refusedAfterAuthorization\": %d}, \"resizes\": %d, \"resizesOfInstancesRunningBefore\": %d,"
								+ " \"peakClientSessions\": %d%s}%s%n",
						phase.name, phase.failedStarts.get(), counts.fleetRefused, phase.failed.get(), histogram.getTotalCount(),
						histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
						histogram.getMaxValue() / 1e3, phase.peak, phase.peakWithoutStartupChecks,
						Double.isNaN(converge) ? "null"
								: String.format(Locale.ROOT, "%.2f", converge), phase.settledAt(),
						counts.all(), counts.role("startup"), counts.role("monitor"), counts.role("app"),
						counts.role("background"), poolsBefore, counts.fleetRefusedAfterAuthorization(), phase.resizes.get(),
						phase.resizesBefore.get(), phase.peakClients,
						phase.otherService ? String.format(Locale.ROOT,
								", \"otherService\": {\"sessions\": %d, \"opened\": %d, \"refused\": %d, \"refusedAtClient\": %d,"
										+ " \"otherFailures\": %d, \"logins\": %d, \"peakSessions\": %d}, \"poolsAtStart\": \"%s\", \"poolsAtEnd\": \"%s\"",
								OTHER_SESSIONS, phase.otherOpened, counts.otherRefused, phase.otherRefusedAtClient,
								phase.otherFailed, counts.other, phase.peakOther, String.join("; ", phase.poolsAtStart),
								String.join("; ", phase.poolsAtEnd)) : "",
						(p < mode.phases.size() - 1) ? "," : ""));
			}
			json.append("    ]}").append((m < modes.size() - 1) ? "," : "").append('\n');
		}
		json.append("  ]\n}\n");
		md.append(logins).append(other);
		Files.writeString(results.resolve("fleet-scale.md"), md);
		Files.writeString(results.resolve("fleet-scale.json"), json);
		chart(results.resolve("fleet-scale.png"), modes);
		System.out.print(md);
	}

	private static String perResize(long logins, long resizes) {
		return (resizes == 0) ? "–" : String.format(Locale.ROOT, "%.2f", (double) logins / resizes);
	}

	private static void chart(Path file, List<Mode> modes) throws IOException {
		XYChart chart = new XYChartBuilder().width(1200)
			.height(520)
			.title("Sessions of the fleet on the server while instances go 1 → 6 → 2, then another service comes and goes"
					+ " (max_connections " + MAX_CONNECTIONS + ")")
			.xAxisTitle("seconds since the first instance started")
			.yAxisTitle("client sessions")
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
			List<Double> ox = new ArrayList<>();
			List<Double> oy = new ArrayList<>();
			mode.otherTimeline.forEach((second, sessions) -> {
				ox.add(second);
				oy.add((double) sessions);
			});
			if (!ox.isEmpty()) {
				XYSeries series = chart.addSeries("other service (sharing " + (mode.name.equals("naive") ? "off)" : "on)"),
						ox, oy);
				series.setLineColor(mode.name.equals("naive") ? new Color(240, 160, 140) : new Color(140, 180, 240));
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

		Map<Double, Integer> otherTimeline = Map.of();

		Mode(String name) {
			this.name = name;
		}

		String summary() {
			StringBuilder text = new StringBuilder(this.name + ":");
			for (Phase phase : this.phases) {
				text.append(String.format(Locale.ROOT, " [%s failed starts %d refused %d failed %d peak %d logins %s resizes %d]",
						phase.name, phase.failedStarts.get(), phase.logins.fleetRefused, phase.failed.get(), phase.peak,
						phase.logins.byRole(), phase.resizes.get()));
			}
			return text.toString();
		}

	}

	static final class Phase {

		final String name;

		final double start;

		volatile double end = Double.NaN;

		volatile int peak;

		volatile int peakWithoutStartupChecks;

		final AtomicLong failed = new AtomicLong();

		final AtomicLong failedStarts = new AtomicLong();

		final Recorder recorder = new Recorder(3);

		final List<double[]> samples = new CopyOnWriteArrayList<>();

		// instances running when the phase began
		final List<String> before = new CopyOnWriteArrayList<>();

		// changes of an instance's app or background pool maximum seen by the session sampler,
		// all and of the instances running when the phase began
		final AtomicLong resizes = new AtomicLong();

		final AtomicLong resizesBefore = new AtomicLong();

		LoginCounts logins = new LoginCounts();

		boolean otherService;

		int otherOpened;

		int otherRefusedAtClient;

		int otherFailed;

		volatile int peakOther;

		volatile int peakClients;

		final List<String> poolsAtStart = new ArrayList<>();

		final List<String> poolsAtEnd = new ArrayList<>();

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
	 * Samples the fleet's sessions every 50 ms on one direct connection of its own, and with each
	 * sample every running instance's app and background pool maximum
	 * ({@link HikariDataSource#getMaximumPoolSize()}): a maximum that differs from the previous
	 * sample of the same instance is one resize. The fleet resizes on its monitor's samples
	 * (1 s apart) and on a refused login, so a resize undone within 50 ms is the only kind missed.
	 */
	static final class SessionSampler implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Map<Double, Integer> timeline = new LinkedHashMap<>();

		private final Map<Double, Integer> otherTimeline = new LinkedHashMap<>();

		final List<Instance> instances = new CopyOnWriteArrayList<>();

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
								"SELECT count(*) FILTER (WHERE starts_with(application_name, '" + prefix + "')),"
										+ " count(*) FILTER (WHERE starts_with(application_name, '" + prefix
										+ "') AND application_name NOT LIKE '%:startup%'),"
										+ " count(*) FILTER (WHERE application_name = '" + OTHER_APPLICATION + "'),"
										+ " count(*) FILTER (WHERE backend_type = 'client backend')"
										+ " FROM pg_stat_activity")) {
							rs.next();
							int sessions = rs.getInt(1);
							int withoutStartupChecks = rs.getInt(2);
							int other = rs.getInt(3);
							int clients = rs.getInt(4);
							double at = seconds(start);
							synchronized (this.timeline) {
								this.timeline.put(at, sessions);
								this.otherTimeline.put(at, other);
							}
							Phase current = this.phase;
							if (current != null) {
								current.samples.add(new double[] { at, sessions });
								current.peak = Math.max(current.peak, sessions);
								current.peakWithoutStartupChecks = Math.max(current.peakWithoutStartupChecks,
										withoutStartupChecks);
								current.peakOther = Math.max(current.peakOther, other);
								current.peakClients = Math.max(current.peakClients, clients);
								sampleMaxima(current);
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

		private void sampleMaxima(Phase current) {
			for (Instance instance : this.instances) {
				int app = instance.app.getMaximumPoolSize();
				int background = instance.background.getMaximumPoolSize();
				int changes = ((instance.sampledApp >= 0 && app != instance.sampledApp) ? 1 : 0)
						+ ((instance.sampledBackground >= 0 && background != instance.sampledBackground) ? 1 : 0);
				instance.sampledApp = app;
				instance.sampledBackground = background;
				if (changes > 0) {
					current.resizes.addAndGet(changes);
					if (current.before.contains(instance.id)) {
						current.resizesBefore.addAndGet(changes);
					}
				}
			}
		}

		void phase(Phase phase) {
			this.phase = phase;
		}

		Map<Double, Integer> timeline() {
			synchronized (this.timeline) {
				return new LinkedHashMap<>(this.timeline);
			}
		}

		Map<Double, Integer> otherTimeline() {
			synchronized (this.timeline) {
				return new LinkedHashMap<>(this.otherTimeline);
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join();
		}

	}

	/**
	 * One login of the fleet's role. pgjdbc sets application_name after the login, so the
	 * "connection authorized" line cannot name it: the session's disconnection line
	 * ({@code log_disconnections=on}, {@code %a} in the prefix) does, and names the login once
	 * the session ends (every session ends with its mode).
	 */
	static final class Login {

		String instance = "?";

		String role = "?";

		boolean refused;

	}

	/**
	 * Logins and refused logins since the last read, from the server's own log
	 * ({@code log_connections=on}, {@code log_disconnections=on}, prefix
	 * {@code %m [%p] %q%u@%d [%a]}).
	 */
	static final class LoginCounts {

		// "connection authorized" lines of the fleet's role, named by application_name
		// (<application>:<role>:<instance>) once their sessions end
		final List<Login> fleet = new ArrayList<>();

		int fleetRefused;

		int other;

		int otherRefused;

		private Stream<Login> successful() {
			// PostgreSQL checks the superuser-reserved slots after authorization: such a refused
			// login is not a session
			return this.fleet.stream().filter((login) -> !login.refused);
		}

		int fleetRefusedAfterAuthorization() {
			return (int) this.fleet.stream().filter((login) -> login.refused).count();
		}

		int role(String role) {
			return (int) successful().filter((login) -> login.role.equals(role)).count();
		}

		int all() {
			return (int) successful().count();
		}

		int pools() {
			return role("app") + role("background");
		}

		int pools(List<String> instances) {
			return (int) successful()
				.filter((login) -> instances.contains(login.instance)
						&& (login.role.equals("app") || login.role.equals("background")))
				.count();
		}

		String byRole() {
			return "app " + role("app") + " background " + role("background") + " monitor " + role("monitor")
					+ " startup " + role("startup") + " unnamed " + role("?");
		}

	}

	/**
	 * Reads the server's log from where the last read stopped.
	 */
	static final class ServerLog {

		private static final Pattern LINE = Pattern
			.compile("\\[(\\d+)\\] (\\S*)@(\\S*) \\[(.*?)\\] ([A-Z]+):\\s+(.*)");

		private static final Pattern AUTHORIZED = Pattern.compile("connection authorized: user=(\\S+)");

		private final Path file;

		private long offset;

		// pid → the login of the session it serves, until its disconnection line names it
		private final Map<String, Login> pending = new HashMap<>();

		ServerLog(Path file) {
			this.file = file;
		}

		LoginCounts read() throws IOException {
			LoginCounts counts = new LoginCounts();
			if (!Files.exists(this.file)) {
				return counts;
			}
			String text;
			try (RandomAccessFile in = new RandomAccessFile(this.file.toFile(), "r")) {
				long length = in.length();
				byte[] bytes = new byte[(int) (length - this.offset)];
				in.seek(this.offset);
				in.readFully(bytes);
				int complete = bytes.length;
				while (complete > 0 && bytes[complete - 1] != '\n') {
					complete--;
				}
				this.offset += complete;
				text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
			}
			for (String line : text.split("\n")) {
				Matcher matcher = LINE.matcher(line);
				if (!matcher.find()) {
					continue;
				}
				String pid = matcher.group(1);
				String user = matcher.group(2);
				String name = matcher.group(4);
				String message = matcher.group(6);
				Matcher authorized = AUTHORIZED.matcher(message);
				if (message.startsWith("connection received")) {
					// a new backend: a pid seen before belonged to an earlier session
					this.pending.remove(pid);
				}
				else if (authorized.lookingAt()) {
					String loginUser = authorized.group(1);
					Login login = new Login();
					if (loginUser.equals(FLEET_ROLE)) {
						counts.fleet.add(login);
						this.pending.put(pid, login);
					}
					else if (loginUser.equals(OTHER_ROLE)) {
						login.role = OTHER_ROLE;
						this.pending.put(pid, login);
						counts.other++;
					}
				}
				else if (message.startsWith("disconnection:")) {
					Login login = this.pending.remove(pid);
					if (login != null && !login.role.equals(OTHER_ROLE)) {
						String[] parts = name.split(":");
						login.role = (parts.length >= 2) ? parts[1] : "?";
						login.instance = (parts.length >= 3) ? parts[2] : "?";
					}
				}
				else if (message.contains("too many clients") || message.contains("remaining connection slots")) {
					Login login = this.pending.remove(pid);
					if (login != null) {
						login.refused = true;
					}
					if (user.equals(FLEET_ROLE)) {
						counts.fleetRefused++;
					}
					else if (user.equals(OTHER_ROLE)) {
						counts.otherRefused++;
						counts.other -= (login != null) ? 1 : 0;
					}
				}
			}
			return counts;
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

		final String id;

		final HikariDataSource app;

		final HikariDataSource background;

		// the maxima the session sampler saw last, read and written by its thread only
		int sampledApp = -1;

		int sampledBackground = -1;

		private Instance(ConfigurableApplicationContext context, String id, Phase phase) {
			this.context = context;
			this.id = id;
			this.phase = phase;
			this.app = DataSourceUnwrapper.unwrap(
					context.getBean(PoolGuardAutoConfiguration.APP_POOL_BEAN_NAME, DataSource.class),
					HikariConfigMXBean.class, HikariDataSource.class);
			this.background = context.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME,
					HikariDataSource.class);
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
						"spring.datasource.username=" + FLEET_ROLE, "spring.datasource.password=bench-fleet",
						"spring.datasource.hikari.maximum-pool-size=10", "poolguard.background.hikari.maximum-pool-size=3",
						"poolguard.instance-id=" + id, "poolguard.monitor.interval=1s",
						"poolguard.budget.on-overcommit=warn", "poolguard.budget.wait-for-database=5s",
						"poolguard.fleet.sharing=" + !mode.equals("naive"), "logging.level.root=WARN",
						"logging.level.io.github.poolguard.internal.fleet=INFO", "spring.main.banner-mode=off")
				.run(), id, phase);
		}

		void phase(Phase phase) {
			this.phase = phase;
		}

		int openApp() {
			return (this.app.getHikariPoolMXBean() != null) ? this.app.getHikariPoolMXBean().getTotalConnections() : 0;
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
