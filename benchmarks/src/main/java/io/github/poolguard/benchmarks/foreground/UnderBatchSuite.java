package io.github.poolguard.benchmarks.foreground;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The rounds both "under batch" suites run: the sample app's read API under a load (a
 * {@link LoadPlan}) while a full fetch of the universe runs, in each of N named configurations
 * ({@link SampleConfiguration}: naive, guarded, fixed, adaptive-X), alternated, each round in a
 * fresh sample JVM on one embedded PostgreSQL with {@code max_connections} 20. A round runs every
 * configuration once; the order is rotated by one per round.
 * <p>
 * Each round: start the app (the first round seeds the tables with a fetch under no load), warm
 * up with closed-loop clients, let the plan calibrate, measure an idle baseline (the plan's load,
 * no batch), then the same load with a {@code forceFull} fetch of every ticker started a few
 * seconds in; the load stops a few seconds after the batch ends (or at a cap).
 * <p>
 * System properties: {@code bench.configurations} (a comma list, see
 * {@link SampleConfiguration}; the default is the scenario's), {@code bench.guarded-args} (extra
 * app arguments for every guarded configuration), {@code bench.universe} (300),
 * {@code bench.clients} (32: warm-up and the closed loop), {@code bench.rounds} (2: each runs
 * every configuration once), {@code bench.idle} (20 s),
 * {@code bench.warmup} (15 s), {@code bench.idle-warm} (20 s: the plan's own load runs this long,
 * discarded, before the idle window starts, so that the load generator's send lag and the app's
 * JIT have settled: the idle window is warm), {@code bench.alone} (true: in the first round, each
 * configuration's fetch runs once more with no load, for the physical limit),
 * {@code bench.batch-warm} (false: when true, every round's app runs the fetch once with no load
 * before its warm-up, as an application that has run its job before — yesterday's nightly run —
 * has the job's code compiled; false measures the first run after a deploy, whose JIT compiling
 * the batch's code lands on the API too), {@code bench.idle-after} (10 s: the same load once more after the
 * batch and a 3 s tail, a second idle reference that shows drift; 0 leaves it out),
 * {@code bench.name} (the result files' base name),
 * {@code bench.batch-cap} (90 s: a batch still running then is reported as not finished, with how
 * far it got).
 */
final class UnderBatchSuite {

	static final int UNIVERSE = Integer.getInteger("bench.universe", 300);

	static final int CLIENTS = Integer.getInteger("bench.clients", 32);

	static final int ROUNDS = Integer.getInteger("bench.rounds", 2);

	static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 15));

	static final Duration IDLE = Duration.ofSeconds(Integer.getInteger("bench.idle", 20));

	static final Duration IDLE_WARM = Duration.ofSeconds(Integer.getInteger("bench.idle-warm", 20));

	static final boolean ALONE = Boolean.parseBoolean(System.getProperty("bench.alone", "true"));

	static final boolean BATCH_WARM = Boolean.getBoolean("bench.batch-warm");

	static final Duration IDLE_AFTER = Duration.ofSeconds(Integer.getInteger("bench.idle-after", 10));

	static final Duration BATCH_CAP = Duration.ofSeconds(Integer.getInteger("bench.batch-cap", 90));

	static final Duration LEAD = Duration.ofSeconds(3);

	static final Duration TAIL = Duration.ofSeconds(3);

	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	static final String POOL_TIMEOUT = "Connection is not available";

	private UnderBatchSuite() {
	}

	/**
	 * Run the suite and write {@code <name>.json}, {@code .md}, {@code .png} (the trade-off
	 * curve) and {@code -per-second.png}.
	 * @param args {@code [resultsDir] [sampleJar]}
	 * @param defaultName the result files' base name unless {@code bench.name} is set
	 * @param plan the load
	 * @param defaultConfigurations the configurations unless {@code bench.configurations} is set
	 * @throws Exception when a round cannot run
	 */
	static void run(String[] args, String defaultName, LoadPlan plan, String defaultConfigurations) throws Exception {
		List<SampleConfiguration> configurations = SampleConfiguration.fromProperty(defaultConfigurations);
		System.setProperty("java.awt.headless", "true");
		Path results = Path.of((args.length > 0) ? args[0] : "benchmarks/results");
		Path jar = Path.of((args.length > 1) ? args[1] : "sample-app/target/poolguard-sample-app.jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it with"
					+ " ./mvnw -B -q -pl sample-app -am package -DskipTests");
		}
		String name = System.getProperty("bench.name", defaultName);
		Path logs = Files.createDirectories(Path.of("benchmarks", "target", name + "-logs"));
		Files.createDirectories(results);
		long suiteStart = System.nanoTime();
		String loadBefore = loadAverage();
		List<Round> rounds = new ArrayList<>();
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "20").start()) {
			String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
			try (ConnectionSampler sampler = new ConnectionSampler(url, "postgres", "postgres")) {
				List<String> tickers = null;
				for (int number = 1; number <= ROUNDS; number++) {
					for (SampleConfiguration configuration : SampleConfiguration.order(configurations, number)) {
						Round round = new Round(configuration.name(), number);
						round.order = rounds.size() + 1;
						round.appArguments = String.join(" ", configuration.arguments())
								+ ((configuration.jar() != null) ? " (sample jar " + configuration.jar() + ")" : "");
						rounds.add(round);
						tickers = runRound(round, configuration, plan, jar, logs, url, sampler, tickers);
						System.out.println(round.summary());
					}
				}
			}
		}
		String loadAfter = loadAverage();
		Duration suite = Duration.ofNanos(System.nanoTime() - suiteStart);
		new ForegroundReport(configurations, rounds, plan, UNIVERSE, IDLE, BATCH_CAP, loadBefore, loadAfter, suite,
				LocalDate.now())
			.write(results, name);
		System.out.println("Suite took " + suite.toSeconds() + " s; results in " + results.toAbsolutePath());
	}

	private static List<String> runRound(Round round, SampleConfiguration configuration, LoadPlan plan, Path jar,
			Path logs, String url, ConnectionSampler sampler, List<String> tickers) throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
				"--sample.universe.size=" + UNIVERSE));
		arguments.addAll(configuration.arguments());
		String name = round.configuration + "-" + round.number;
		round.loadBefore = loadAverage();
		SampleAppProcess app = new SampleAppProcess((configuration.jar() != null) ? configuration.jar() : jar, logs,
				name, arguments);
		try (app) {
			app.awaitHealthy(Duration.ofSeconds(180));
			if (tickers == null) {
				// first round: seed the data the API reads, with no load
				long seedStart = System.nanoTime();
				long id = app.startFetch(false);
				if (app.awaitFetch(id, BATCH_CAP) == null) {
					throw new IllegalStateException("The seeding fetch did not finish within " + BATCH_CAP);
				}
				round.seedSeconds = (System.nanoTime() - seedStart) / 1e9;
				tickers = tickers(app.get("/api/companies").body());
			}
			else if (BATCH_WARM) {
				// the job has run before in this JVM (the first round's seeding fetch did that too)
				long warmStart = System.nanoTime();
				if (app.awaitFetch(app.startFetch(true), BATCH_CAP) == null) {
					throw new IllegalStateException("The warming fetch did not finish within " + BATCH_CAP);
				}
				round.warmFetchSeconds = (System.nanoTime() - warmStart) / 1e9;
			}
			// warm-up, discarded
			ReadApiMix mix = new ReadApiMix(app.baseUrl(), tickers, REQUEST_TIMEOUT);
			Load warmup = new ClosedLoopLoad(mix, CLIENTS);
			warmup.start();
			Thread.sleep(WARMUP.toMillis());
			warmup.stop();
			plan.calibrate(round, mix);

			// idle baseline
			long poolTimeoutsBefore = app.countLogLines(POOL_TIMEOUT);
			Load idle = plan.create(mix);
			idle.start();
			// the plan's load settles first (send lag, JIT of its paths), then the warm idle window
			Thread.sleep(IDLE_WARM.toMillis());
			long idleStart = System.nanoTime();
			long idleCpu = app.cpuNanos();
			long[] idleMachine = MachineCpu.read();
			Thread.sleep(IDLE.toMillis());
			long idleEnd = System.nanoTime();
			List<Load.Sample> idleSamples = idle.stop();
			round.idle = PhaseStats.of(idleSamples, idleStart, idleEnd);
			round.idleAppCpu = (app.cpuNanos() - idleCpu) / (double) (idleEnd - idleStart);
			round.idleMachineCpu = MachineCpu.busySince(idleMachine);
			round.idlePeaks = sampler.peaks(idleStart, idleEnd, false);
			round.idlePoolTimeouts = app.countLogLines(POOL_TIMEOUT) - poolTimeoutsBefore;

			// the same load with the batch
			poolTimeoutsBefore = app.countLogLines(POOL_TIMEOUT);
			Load load = plan.create(mix);
			long loadStart = System.nanoTime();
			load.start();
			Thread.sleep(LEAD.toMillis());
			long batchCpu = app.cpuNanos();
			long[] batchMachine = MachineCpu.read();
			long batchStart = System.nanoTime();
			long id = app.startFetch(true);
			Thread dumper = new Thread(() -> {
				try {
					Thread.sleep(5000);
					app.threadDump(logs.resolve(name + "-threads-at-5s.txt"));
				}
				catch (InterruptedException ex) {
					// batch over before the dump
				}
			}, "thread-dump");
			dumper.setDaemon(true);
			dumper.start();
			String finalState = app.awaitFetch(id, BATCH_CAP);
			long batchEnd = System.nanoTime();
			dumper.interrupt();
			round.batchFinished = finalState != null;
			round.batchFinalState = (finalState != null) ? finalState : app.progress(id);
			round.batchSeconds = (batchEnd - batchStart) / 1e9;
			round.batchAppCpu = (app.cpuNanos() - batchCpu) / (double) (batchEnd - batchStart);
			round.batchMachineCpu = MachineCpu.busySince(batchMachine);
			Thread.sleep(TAIL.toMillis());
			long afterStart = System.nanoTime();
			round.batchPoolTimeouts = app.countLogLines(POOL_TIMEOUT) - poolTimeoutsBefore;
			Thread.sleep(IDLE_AFTER.toMillis());
			long afterEnd = System.nanoTime();
			List<Load.Sample> samples = load.stop();
			round.batch = PhaseStats.of(samples, batchStart, batchEnd);
			round.batchPeaks = sampler.peaks(batchStart, batchEnd, false);
			round.batchIdleInTransactionPeaks = sampler.peaks(batchStart, batchEnd, true);
			if (!IDLE_AFTER.isZero()) {
				round.idleAfter = PhaseStats.of(samples, afterStart, afterEnd);
				round.idleAfterPeaks = sampler.peaks(afterStart, afterEnd, false);
				round.idleAfterPoolTimeouts = app.countLogLines(POOL_TIMEOUT) - poolTimeoutsBefore - round.batchPoolTimeouts;
			}
			round.perSecondP99 = perSecondP99(samples, loadStart, batchStart);
			round.gcPauses = app.gcPauses();
			round.gcPausesIn.put(Round.Phase.IDLE, app.gcPauses(epochMillis(idleStart), epochMillis(idleEnd)));
			round.gcPausesIn.put(Round.Phase.BATCH, app.gcPauses(epochMillis(batchStart), epochMillis(batchEnd)));
			if (!IDLE_AFTER.isZero()) {
				round.gcPausesIn.put(Round.Phase.AFTER, app.gcPauses(epochMillis(afterStart), epochMillis(afterEnd)));
			}
			round.yieldLogLines = app.countLogLines("pausing before the next chunk");
			// read before the fetch alone below logs a summary of its own
			round.batchSummary = app.lastLogLine("fetch-ward: ", "Naive fetch run ");
			if (ALONE && round.number == 1) {
				// the physical limit's other half: what the same fetch costs the machine with no load
				Thread.sleep(TAIL.toMillis());
				long[] aloneMachine = MachineCpu.read();
				long aloneStart = System.nanoTime();
				long aloneId = app.startFetch(true);
				String aloneState = app.awaitFetch(aloneId, BATCH_CAP);
				long aloneEnd = System.nanoTime();
				if (aloneState != null) {
					round.aloneSeconds = (aloneEnd - aloneStart) / 1e9;
					round.aloneMachineCpuSeconds = MachineCpu.busySince(aloneMachine) * round.aloneSeconds
							* Runtime.getRuntime().availableProcessors();
				}
			}
		}
		Matcher yields = Pattern.compile("yields=(\\d+)").matcher(round.batchSummary);
		round.batchYields = yields.find() ? Long.parseLong(yields.group(1)) : -1;
		round.loadAfter = loadAverage();
		return tickers;
	}

	// a System.nanoTime() reading as wall-clock ms (the GC log's timemillis decorator)
	private static long epochMillis(long nanos) {
		return System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000L;
	}

	// p99 (ms) of the requests due in each second, keyed by seconds since the batch started
	private static Map<Integer, Double> perSecondP99(List<Load.Sample> samples, long loadStart,
			long batchStart) {
		Map<Integer, List<Load.Sample>> bySecond = new java.util.TreeMap<>();
		for (Load.Sample sample : samples) {
			int second = (int) Math.floorDiv(sample.startNanos() - batchStart, 1_000_000_000L);
			bySecond.computeIfAbsent(second, (key) -> new ArrayList<>()).add(sample);
		}
		Map<Integer, Double> p99 = new LinkedHashMap<>();
		bySecond.forEach((second, inSecond) -> {
			PhaseStats stats = PhaseStats.of(inSecond, Long.MIN_VALUE, Long.MAX_VALUE);
			p99.put(second, stats.millis(99));
		});
		return p99;
	}

	private static List<String> tickers(String companies) {
		List<String> tickers = new ArrayList<>();
		Matcher ticker = Pattern.compile("\"ticker\"\\s*:\\s*\"(\\w+)\"").matcher(companies);
		while (ticker.find()) {
			tickers.add(ticker.group(1));
		}
		if (tickers.isEmpty()) {
			throw new IllegalStateException("No companies stored after seeding: " + companies);
		}
		return tickers;
	}

	static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (Exception ex) {
			return "unknown";
		}
	}

}
