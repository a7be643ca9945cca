package io.github.poolguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.opentest4j.TestAbortedException;

/**
 * A real PgBouncer, started as a subprocess in front of a test server with a generated ini:
 * listening on 127.0.0.1 on a free port, {@code auth_type = trust} with a userlist naming the
 * server's user ({@code md5} when an admin user of its own is added), the given pool mode and
 * pool size, the server's user as admin. Tests that need it are skipped, saying why, when the
 * {@code pgbouncer} binary cannot be found (install the Debian package {@code pgbouncer};
 * {@code .ci/run} does), and fail instead when {@code CI=true}.
 */
public final class PgBouncerProcess implements AutoCloseable {

	private static final List<String> LOCATIONS = List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer",
			"/usr/local/bin/pgbouncer", "/usr/local/sbin/pgbouncer");

	private final Process process;

	private final Path directory;

	private final int port;

	private final PostgresServer server;

	private PgBouncerProcess(Process process, Path directory, int port, PostgresServer server) {
		this.process = process;
		this.directory = directory;
		this.port = port;
		this.server = server;
	}

	/**
	 * Start PgBouncer in front of the server.
	 * @param server the PostgreSQL server
	 * @param poolMode {@code session} or {@code transaction}
	 * @param poolSize {@code default_pool_size}: server connections per database and user
	 * @return the running PgBouncer; the caller closes it
	 * @throws TestAbortedException when the binary cannot be found
	 */
	public static PgBouncerProcess start(PostgresServer server, String poolMode, int poolSize) {
		return start(server, poolMode, poolSize, null, null);
	}

	/**
	 * Start PgBouncer in front of the server with an admin user of its own, which exists only in
	 * PgBouncer. Logins are then checked ({@code auth_type = md5}): the admin's with the given
	 * password, the server user's with the server's password.
	 * @param server the PostgreSQL server
	 * @param poolMode {@code session} or {@code transaction}
	 * @param poolSize {@code default_pool_size}: server connections per database and user
	 * @param adminUser a user to add to {@code admin_users}
	 * @param adminPassword its password
	 * @return the running PgBouncer; the caller closes it
	 * @throws TestAbortedException when the binary cannot be found
	 */
	public static PgBouncerProcess startWithAdmin(PostgresServer server, String poolMode, int poolSize,
			String adminUser, String adminPassword) {
		return start(server, poolMode, poolSize, adminUser, adminPassword);
	}

	private static PgBouncerProcess start(PostgresServer server, String poolMode, int poolSize,
			String adminUser, String adminPassword) {
		Path binary = binary();
		Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/").matcher(server.jdbcUrl());
		if (!url.find()) {
			throw new TestAbortedException("Cannot tell host and port of " + server.jdbcUrl());
		}
		String host = url.group(1).equals("localhost") ? "127.0.0.1" : url.group(1);
		try {
			Path directory = Files.createTempDirectory("poolguard-pgbouncer");
			int port = freePort();
			String users = "\"" + server.username() + "\" \"" + server.password() + "\"\n";
			String admins = server.username();
			if (adminUser != null) {
				users += "\"" + adminUser + "\" \"" + adminPassword + "\"\n";
				admins += ", " + adminUser;
			}
			Files.writeString(directory.resolve("userlist.txt"), users);
			Files.writeString(directory.resolve("pgbouncer.ini"), String.join("\n", "[databases]",
					"* = host=" + host + " port=" + url.group(2), "", "[pgbouncer]", "listen_addr = 127.0.0.1",
					"listen_port = " + port, "unix_socket_dir =",
					"auth_type = " + ((adminUser != null) ? "md5" : "trust"),
					"auth_file = " + directory.resolve("userlist.txt"), "pool_mode = " + poolMode,
					"default_pool_size = " + poolSize, "reserve_pool_size = 0", "max_client_conn = 500",
					"admin_users = " + admins, "ignore_startup_parameters = extra_float_digits",
					"logfile = " + directory.resolve("pgbouncer.log"), "server_login_retry = 1", ""));
			// PgBouncer refuses to run as root (as CI does); it then runs as nobody
			boolean root = "root".equals(System.getProperty("user.name"));
			if (root) {
				Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
			}
			ProcessBuilder builder = root
					? new ProcessBuilder(binary.toString(), "-u", "nobody", directory.resolve("pgbouncer.ini").toString())
					: new ProcessBuilder(binary.toString(), directory.resolve("pgbouncer.ini").toString());
			builder.redirectErrorStream(true).redirectOutput(directory.resolve("stdout.txt").toFile());
			Process process = builder.start();
			PgBouncerProcess pgbouncer = new PgBouncerProcess(process, directory, port, server);
			pgbouncer.awaitListening(Duration.ofSeconds(10));
			return pgbouncer;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path binary() {
		for (String location : LOCATIONS) {
			Path path = Path.of(location);
			if (Files.isExecutable(path)) {
				return path;
			}
		}
		String pathVariable = System.getenv("PATH");
		if (pathVariable != null) {
			for (String entry : pathVariable.split(":")) {
				Path path = Path.of(entry, "pgbouncer");
				if (Files.isExecutable(path)) {
					return path;
				}
			}
		}
		String missing = "PgBouncer is not installed (no pgbouncer binary in " + LOCATIONS
				+ " or on PATH); install the Debian package 'pgbouncer' (.ci/run does) to run this test";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException("CI=true: PgBouncer is required. " + missing);
		}
		throw new TestAbortedException(missing);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private void awaitListening(Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("PgBouncer exited with " + this.process.exitValue() + ": " + output());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
				return;
			}
			catch (IOException ex) {
				sleep();
			}
		}
		close();
		throw new IllegalStateException("PgBouncer did not listen within " + timeout + ": " + output());
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Return the JDBC URL of a database through PgBouncer.
	 * @param database the database name
	 * @return the URL
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/**
	 * Return the JDBC URL of PgBouncer's admin console.
	 * @return the URL
	 */
	public String adminUrl() {
		return jdbcUrl("pgbouncer");
	}

	/**
	 * Return the user PgBouncer lets in (the server's).
	 * @return the user name
	 */
	public String username() {
		return this.server.username();
	}

	/**
	 * Return PgBouncer's log and output so far, for assertion messages.
	 * @return the text
	 */
	public String output() {
		StringBuilder text = new StringBuilder();
		for (String file : List.of("stdout.txt", "pgbouncer.log")) {
			try {
				text.append(Files.readString(this.directory.resolve(file)));
			}
			catch (IOException ex) {
				// not written yet
			}
		}
		return text.toString();
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
