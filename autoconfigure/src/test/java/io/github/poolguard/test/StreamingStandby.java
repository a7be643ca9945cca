package io.github.poolguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.opentest4j.TestAbortedException;

/**
 * An embedded primary with one streaming standby, built from the same binaries as every other
 * embedded server and without {@code pg_basebackup} (the bundle has only {@code initdb},
 * {@code pg_ctl} and {@code postgres}): the primary is created with {@code wal_level=replica},
 * stopped cleanly (a shutdown checkpoint), its data directory copied, and the copy started with
 * {@code standby.signal} and a {@code primary_conninfo} that names it. The default
 * {@code pg_hba.conf} of {@code initdb -A trust} already lets a local replication connection in.
 */
public final class StreamingStandby implements AutoCloseable {

	private final String standbyName;

	private final int primaryPort;

	private final EmbeddedPostgres primary;

	private final EmbeddedPostgres standby;

	private final List<Path> directories;

	private StreamingStandby(String standbyName, int primaryPort, EmbeddedPostgres primary, EmbeddedPostgres standby,
			List<Path> directories) {
		this.directories = directories;
		this.standbyName = standbyName;
		this.primaryPort = primaryPort;
		this.primary = primary;
		this.standby = standby;
	}

	/**
	 * Start a primary and a standby streaming from it.
	 * @param standbyName the standby's {@code application_name} on the primary
	 * @return the pair; the caller closes it
	 * @throws TestAbortedException unless servers are embedded (the default mode)
	 */
	public static StreamingStandby start(String standbyName) {
		String mode = System.getProperty(TestPostgres.MODE_PROPERTY, "embedded");
		if (!mode.isBlank() && !mode.equals("embedded")) {
			throw new TestAbortedException("A streaming standby is built from embedded servers only, not " + mode);
		}
		try {
			Path primaryDirectory = Files.createTempDirectory("poolguard-primary");
			EmbeddedPostgres first = primary(primaryDirectory, 0).start();
			int port = first.getPort();
			first.close();
			Path standbyDirectory = Files.createTempDirectory("poolguard-standby");
			copy(primaryDirectory, standbyDirectory);
			Files.createFile(standbyDirectory.resolve("standby.signal"));
			// in the file, not as -c: pg_ctl splits an option's value at its spaces
			Files.writeString(standbyDirectory.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port="
					+ port + " user=postgres application_name=" + standbyName + "'\n",
					java.nio.file.StandardOpenOption.APPEND);
			EmbeddedPostgres primary = primary(primaryDirectory, port).start();
			EmbeddedPostgres standby = EmbeddedPostgres.builder()
				.setDataDirectory(standbyDirectory)
				.setCleanDataDirectory(false)
				.setServerConfig("hot_standby", "on")
				// replies carry the replay position: one a second keeps the primary's view fresh
				.setServerConfig("wal_receiver_status_interval", "1s")
				.start();
			return new StreamingStandby(standbyName, port, primary, standby,
					List.of(primaryDirectory, standbyDirectory));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start a primary and a standby", ex);
		}
	}

	private static EmbeddedPostgres.Builder primary(Path dataDirectory, int port) {
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(dataDirectory)
			.setCleanDataDirectory(false)
			.setServerConfig("wal_level", "replica")
			.setServerConfig("max_wal_senders", "4")
			.setServerConfig("listen_addresses", "127.0.0.1");
		return (port != 0) ? builder.setPort(port) : builder;
	}

	private static void copy(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path file : files.toList()) {
				Path target = to.resolve(from.relativize(file).toString());
				if (file.getFileName().toString().equals("postmaster.pid")) {
					continue;
				}
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
		Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
	}

	/**
	 * Return the primary's JDBC URL for a database.
	 * @param database the database
	 * @return the URL
	 */
	public String primaryUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.primaryPort + "/" + database;
	}

	/**
	 * Return the standby's {@code application_name} on the primary.
	 * @return the name
	 */
	public String standbyName() {
		return this.standbyName;
	}

	/**
	 * Run SQL on the primary as its superuser.
	 * @param sql the statement
	 */
	public void executeOnPrimary(String sql) {
		execute(this.primary.getPort(), sql);
	}

	/**
	 * Stop replaying WAL on the standby ({@code pg_wal_replay_pause()}): it keeps receiving.
	 */
	public void pauseReplay() {
		execute(this.standby.getPort(), "SELECT pg_wal_replay_pause()");
	}

	/**
	 * Replay again ({@code pg_wal_replay_resume()}).
	 */
	public void resumeReplay() {
		execute(this.standby.getPort(), "SELECT pg_wal_replay_resume()");
	}

	/**
	 * Return whether the primary sees the standby streaming.
	 * @return {@code true} once {@code pg_stat_replication} shows it as streaming
	 */
	public boolean isStreaming() {
		try (Connection connection = DriverManager.getConnection(
				"jdbc:postgresql://127.0.0.1:" + this.primaryPort + "/postgres", "postgres", "postgres");
				Statement statement = connection.createStatement();
				var rs = statement.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
						+ " AND application_name = '" + this.standbyName + "'")) {
			return rs.next() && rs.getInt(1) == 1;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static void execute(int port, String sql) {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
				"postgres", "postgres"); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + " failed on port " + port, ex);
		}
	}

	@Override
	public void close() {
		try {
			this.standby.close();
		}
		catch (IOException ex) {
			// the primary is closed either way
		}
		try {
			this.primary.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		for (Path directory : this.directories) {
			try (Stream<Path> files = Files.walk(directory)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
			catch (IOException ex) {
				// a temporary directory left behind harms nothing
			}
		}
	}

}
