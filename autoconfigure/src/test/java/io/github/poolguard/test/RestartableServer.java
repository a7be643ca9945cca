package io.github.poolguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.opentest4j.TestAbortedException;

/**
 * An embedded PostgreSQL server that a test can stop and start again on the same port and data
 * directory, as a server restart looks to its clients.
 */
public final class RestartableServer extends PostgresServer {

	private final Path dataDirectory;

	private final int port;

	private EmbeddedPostgres postgres;

	private boolean running = true;

	private RestartableServer(Path dataDirectory, EmbeddedPostgres postgres) {
		this.dataDirectory = dataDirectory;
		this.postgres = postgres;
		this.port = postgres.getPort();
	}

	/**
	 * Start a server of the test's own.
	 * @return the server; the caller closes it
	 * @throws TestAbortedException unless servers are embedded (the default mode)
	 */
	public static RestartableServer start() {
		String mode = System.getProperty(TestPostgres.MODE_PROPERTY, "embedded");
		if (!mode.isBlank() && !mode.equals("embedded")) {
			throw new TestAbortedException("Restarting a server needs the embedded mode, not " + mode);
		}
		try {
			Path dataDirectory = Files.createTempDirectory("poolguard-restartable");
			return new RestartableServer(dataDirectory, builder(dataDirectory, 0).start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static EmbeddedPostgres.Builder builder(Path dataDirectory, int port) {
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(dataDirectory)
			.setCleanDataDirectory(false);
		return (port != 0) ? builder.setPort(port) : builder;
	}

	/**
	 * Stop the server; clients lose their connections.
	 */
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start the stopped server again, on the same port with the same data.
	 */
	public synchronized void restart() {
		try {
			this.postgres = builder(this.dataDirectory, this.port).start();
			this.running = true;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Freeze the server as a hung host would: SIGSTOP to the postmaster and every process
	 * under it. Connections stay open; nothing answers.
	 */
	public void freeze() {
		signal("-STOP");
	}

	/**
	 * Resume a frozen server (SIGCONT).
	 */
	public void thaw() {
		signal("-CONT");
	}

	private void signal(String signal) {
		try {
			long postmaster = Long.parseLong(Files.readAllLines(this.dataDirectory.resolve("postmaster.pid")).get(0).trim());
			if (kill(signal, List.of(postmaster)) != 0) {
				throw new IllegalStateException("kill " + signal + " failed for the postmaster " + postmaster);
			}
			List<Long> children = ProcessHandle.of(postmaster)
				.map((process) -> process.descendants().map(ProcessHandle::pid).toList())
				.orElse(List.of());
			if (!children.isEmpty()) {
				// a backend may exit between listing and signalling: that is not a failure
				kill(signal, children);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int kill(String signal, List<Long> pids) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("kill", signal));
		pids.forEach((pid) -> command.add(Long.toString(pid)));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start()
			.waitFor();
	}

	@Override
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://localhost:" + this.port + "/" + database;
	}

	@Override
	public String username() {
		return "postgres";
	}

	@Override
	public String password() {
		return "postgres";
	}

	@Override
	public void close() {
		stop();
		try (Stream<Path> paths = Files.walk(this.dataDirectory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind is harmless
		}
	}

}
