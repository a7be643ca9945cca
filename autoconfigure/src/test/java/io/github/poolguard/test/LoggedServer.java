package io.github.poolguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.opentest4j.TestAbortedException;

import static org.awaitility.Awaitility.await;

/**
 * A server of a test class's own whose log the test reads: logins it refused, logins it
 * accepted. Only an embedded server keeps its log on this machine; elsewhere the test is
 * skipped.
 */
public final class LoggedServer implements AutoCloseable {

	private static final AtomicInteger markers = new AtomicInteger();

	private final PostgresServer server;

	private final Path log;

	private LoggedServer(PostgresServer server, Path log) {
		this.server = server;
		this.log = log;
	}

	/**
	 * Start a server that logs to a file.
	 * @param settings server settings besides the log's
	 * @return the server
	 * @throws IOException if the log's directory cannot be made
	 * @throws TestAbortedException where the tests do not run an embedded server
	 */
	public static LoggedServer start(Map<String, String> settings) throws IOException {
		if (!System.getProperty(TestPostgres.MODE_PROPERTY, "embedded").equals("embedded")) {
			throw new TestAbortedException("This test reads the server's log file, which only an embedded server keeps"
					+ " on this machine");
		}
		Path directory = Files.createTempDirectory("poolguard-server-log");
		Map<String, String> all = new HashMap<>(settings);
		all.put("logging_collector", "on");
		all.put("log_directory", directory.toString());
		all.put("log_filename", "postgresql.log");
		return new LoggedServer(TestPostgres.start(all), directory.resolve("postgresql.log"));
	}

	/**
	 * Return the server.
	 * @return the server
	 */
	public PostgresServer server() {
		return this.server;
	}

	/**
	 * Return the lines the server logged up to now that match: it logs a marker of its own and
	 * waits for it, so no line logged before the call is missing.
	 * @param filter which lines
	 * @return the lines
	 */
	public List<String> lines(Predicate<String> filter) {
		String marker = "poolguard-log-marker-" + markers.incrementAndGet();
		this.server.execute("DO $$BEGIN RAISE LOG '" + marker + "'; END$$");
		await().atMost(Duration.ofSeconds(30)).until(() -> read().stream().anyMatch((line) -> line.contains(marker)));
		return read().stream().filter(filter).toList();
	}

	/**
	 * Return the logins the server refused for want of a connection slot up to now.
	 * @return the lines saying so
	 */
	public List<String> refusals() {
		return lines((line) -> line.contains("too many clients") || line.contains("remaining connection slots"));
	}

	private List<String> read() {
		try {
			return Files.exists(this.log) ? Files.readAllLines(this.log) : List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		Files.deleteIfExists(this.log);
		Files.deleteIfExists(this.log.getParent());
	}

}
