package io.github.poolguard.benchmarks.foreground;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample app in a JVM of its own (so its GC and threads are apart from the load
 * generator's), with its log and GC log in a directory of the run. Every wait has a deadline,
 * so a wedged app cannot wedge the suite.
 */
final class SampleAppProcess implements AutoCloseable {

	static final String ADMIN_PASSWORD = "bench";

	private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"(\\w+)\"");

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

	private static final Pattern GC_PAUSE = Pattern.compile("Pause.* (\\d+\\.\\d+)ms$");

	// the timemillis decorator (after uptime's "[1.234s]"): when the line was written (the pause's
	// end), ms since the epoch
	private static final Pattern GC_TIME = Pattern.compile("\\[(\\d+)ms\\]");

	private final Process process;

	private final int port;

	private final Path log;

	private final Path gcLog;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	SampleAppProcess(Path jar, Path logDirectory, String name, List<String> arguments) throws IOException {
		this.port = freePort();
		this.log = logDirectory.resolve(name + ".log");
		this.gcLog = logDirectory.resolve(name + "-gc.log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xms512m");
		command.add("-Xmx512m");
		// wall-clock and uptime decorators: pauses are placed in the suite's windows by wall clock
		command.add("-Xlog:gc:file=" + this.gcLog + ":timemillis,uptime");
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + this.port);
		command.add("--sample.admin.password=" + ADMIN_PASSWORD);
		command.addAll(arguments);
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.log.toFile())
			.start();
	}

	String baseUrl() {
		return "http://localhost:" + this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Return the JVM's CPU time so far.
	 * @return nanoseconds of CPU, or -1 when unknown
	 */
	long cpuNanos() {
		return this.process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
	}

	/**
	 * Wait until {@code /actuator/health} answers 200.
	 * @param timeout the longest wait
	 * @throws Exception when the app died or did not come up in time
	 */
	void awaitHealthy(Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The sample app exited with " + this.process.exitValue() + "; see " + this.log);
			}
			try {
				if (get("/actuator/health").statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("The sample app was not healthy within " + timeout + "; see " + this.log);
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Start a fetch of the whole universe.
	 * @param forceFull whether to refetch all history
	 * @return the run's id
	 * @throws Exception when the app refuses
	 */
	long startFetch(boolean forceFull) throws Exception {
		String credentials = Base64.getEncoder()
			.encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/fetch-runs"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Basic " + credentials)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"forceFull\":" + forceFull + "}"))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		Matcher id = ID.matcher(response.body());
		if (response.statusCode() != 202 || !id.find()) {
			throw new IllegalStateException("Could not start a fetch: " + response.statusCode() + " " + response.body());
		}
		return Long.parseLong(id.group(1));
	}

	/**
	 * Poll a run every 200 ms until it has finished.
	 * @param id the run
	 * @param timeout the longest wait
	 * @return the last answer, or {@code null} when the run had not finished in time
	 * @throws InterruptedException if interrupted
	 */
	String awaitFetch(long id, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				HttpResponse<String> response = get("/api/fetch-runs/" + id);
				Matcher state = STATE.matcher(response.body());
				if (response.statusCode() == 200 && state.find()
						&& !state.group(1).equals("RUNNING") && !state.group(1).equals("YIELDING")) {
					return response.body();
				}
			}
			catch (IOException ex) {
				// the poll itself timed out under load; try again
			}
			Thread.sleep(200);
		}
		return null;
	}

	/**
	 * Return a run's progress as the app reports it.
	 * @param id the run
	 * @return the answer's body, or why there is none
	 */
	String progress(long id) {
		try {
			return get("/api/fetch-runs/" + id).body();
		}
		catch (IOException ex) {
			return "no answer: " + ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	/**
	 * Return the message of the last log line that contains one of the texts.
	 * @param texts the texts
	 * @return the message (after the logger name), or an empty string
	 */
	String lastLogLine(String... texts) {
		String last = "";
		try {
			for (String line : Files.readAllLines(this.log, StandardCharsets.UTF_8)) {
				for (String text : texts) {
					int at = line.indexOf(text);
					if (at >= 0 && (line.contains("stopped in") || line.contains("finished") || line.contains("completed"))) {
						last = line.substring(at);
					}
				}
			}
		}
		catch (IOException ex) {
			return "";
		}
		return last;
	}

	/**
	 * Write a thread dump of the app with {@code jcmd}, for the record.
	 * @param file where
	 */
	void threadDump(Path file) {
		try {
			Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
					String.valueOf(pid()), "Thread.print")
				.redirectErrorStream(true)
				.redirectOutput(file.toFile())
				.start();
			if (!jcmd.waitFor(20, TimeUnit.SECONDS)) {
				jcmd.destroyForcibly();
			}
		}
		catch (IOException | InterruptedException ex) {
			System.err.println("No thread dump: " + ex.getMessage());
		}
	}

	/**
	 * Count the log lines that contain a text.
	 * @param text the text
	 * @return how many lines contain it
	 * @throws IOException when the log cannot be read
	 */
	long countLogLines(String text) throws IOException {
		try (var lines = Files.lines(this.log, StandardCharsets.UTF_8)) {
			return lines.filter((line) -> line.contains(text)).count();
		}
	}

	/**
	 * Return GC pause statistics from the GC log: count, total and longest pause.
	 * @return {count, total ms, max ms}
	 * @throws IOException when the log cannot be read
	 */
	double[] gcPauses() throws IOException {
		return gcPauses(Long.MIN_VALUE, Long.MAX_VALUE);
	}

	/**
	 * Return GC pause statistics for the pauses that ended in a window of wall-clock time.
	 * @param fromEpochMillis window start (inclusive)
	 * @param toEpochMillis window end (exclusive)
	 * @return {count, total ms, max ms}
	 * @throws IOException when the log cannot be read
	 */
	double[] gcPauses(long fromEpochMillis, long toEpochMillis) throws IOException {
		double count = 0;
		double total = 0;
		double max = 0;
		for (String line : Files.readAllLines(this.gcLog, StandardCharsets.UTF_8)) {
			Matcher pause = GC_PAUSE.matcher(line);
			if (pause.find() && within(line, fromEpochMillis, toEpochMillis)) {
				double millis = Double.parseDouble(pause.group(1));
				count++;
				total += millis;
				max = Math.max(max, millis);
			}
		}
		return new double[] { count, total, max };
	}

	private static boolean within(String line, long fromEpochMillis, long toEpochMillis) {
		if (fromEpochMillis == Long.MIN_VALUE && toEpochMillis == Long.MAX_VALUE) {
			return true;
		}
		Matcher time = GC_TIME.matcher(line);
		if (!time.find()) {
			return false;
		}
		long at = Long.parseLong(time.group(1));
		return at >= fromEpochMillis && at < toEpochMillis;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(40, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
