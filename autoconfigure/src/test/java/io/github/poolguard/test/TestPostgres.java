package io.github.poolguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.opentest4j.TestAbortedException;

/**
 * Gives tests a real PostgreSQL server, chosen by the system property
 * {@code poolguard.test.postgres}:
 * <ul>
 * <li>{@code embedded} (the default): an embedded server whose binaries come from Maven; no
 * Docker, nothing installed;</li>
 * <li>{@code testcontainers}: a PostgreSQL container (needs Docker);</li>
 * <li>{@code jdbc:postgresql://host:port/db?user=…&password=…}: any running server, used as it
 * is.</li>
 * </ul>
 * {@link #shared()} is one server per test JVM; {@link #start(Map)} starts a dedicated one with
 * server settings of the test's own, such as a small {@code max_connections}.
 */
public final class TestPostgres {

	/**
	 * The system property that selects the server.
	 */
	public static final String MODE_PROPERTY = "poolguard.test.postgres";

	private static PostgresServer shared;

	private TestPostgres() {
	}

	/**
	 * Return the server shared by every test in this JVM, starting it on first use.
	 * @return the shared server; never close it
	 */
	public static synchronized PostgresServer shared() {
		if (shared == null) {
			PostgresServer server = create(Map.of("max_connections", "200"));
			shared = new Unclosable(server);
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "poolguard-test-postgres-stop"));
		}
		return shared;
	}

	/**
	 * Start a dedicated server with the given settings. The caller closes it.
	 * @param settings server settings, such as {@code max_connections}
	 * @return the server
	 * @throws TestAbortedException when the selected mode cannot start a server of its own (an
	 * external server's settings are not the test's to choose)
	 */
	public static PostgresServer start(Map<String, String> settings) {
		if (mode().startsWith("jdbc:")) {
			throw new TestAbortedException("This test needs a server with its own settings " + settings
					+ ", which an external server (" + MODE_PROPERTY + "=jdbc:...) cannot give");
		}
		return create(settings);
	}

	/**
	 * Start a dedicated server that checks passwords (scram-sha-256) on TCP connections, for
	 * tests about wrong credentials: an embedded one set up so, or a container (PostgreSQL images
	 * check passwords already). Its superuser keeps the password of
	 * {@link PostgresServer#password()}.
	 * @return the server; the caller closes it
	 * @throws TestAbortedException with an external server
	 */
	public static PostgresServer startWithPasswordAuthentication() {
		if (mode().equals("testcontainers")) {
			return ContainerServer.startCheckingPasswords();
		}
		return startWithHba("Password authentication", Map.of(),
				(server) -> server.execute("ALTER ROLE postgres PASSWORD '" + server.password() + "'"),
				"host all all 127.0.0.1/32 scram-sha-256", "host all all ::1/128 scram-sha-256");
	}

	/**
	 * Start a dedicated embedded server with TLS on that accepts only client-certificate logins
	 * on TCP ({@code hostssl all all 127.0.0.1/32 cert}); plain and password logins are refused.
	 * @param certificates the server's certificate and key, and the authority it trusts
	 * @return the server; the caller closes it. Its {@code execute} and {@code connect} helpers
	 * no longer work once it is started: connect with the client certificate instead
	 * @throws TestAbortedException unless servers are embedded
	 */
	public static PostgresServer startWithClientCertificates(TestCertificates certificates) {
		return startWithHba("Certificate authentication",
				Map.of("ssl", "on", "ssl_cert_file", certificates.serverCertificate().toString(), "ssl_key_file",
						certificates.serverKey().toString(), "ssl_ca_file", certificates.caCertificate().toString()),
				(server) -> {
				}, "hostssl all all 127.0.0.1/32 cert", "hostssl all all ::1/128 cert");
	}

	// Starts a server, prepares it while it still trusts every login, then replaces its TCP
	// rules with the given pg_hba.conf lines.
	private static PostgresServer startWithHba(String what, Map<String, String> settings,
			Consumer<PostgresServer> preparation, String... tcpRules) {
		if (!mode().equals("embedded")) {
			throw new TestAbortedException(what + " is set up on embedded servers only");
		}
		try {
			Path dataDirectory = Files.createTempDirectory("poolguard-hba");
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(true);
			settings.forEach(builder::setServerConfig);
			EmbeddedServer server = new EmbeddedServer(builder.start());
			preparation.accept(server);
			List<String> rules = new ArrayList<>(List.of("local all all trust"));
			rules.addAll(List.of(tcpRules));
			Files.writeString(dataDirectory.resolve("pg_hba.conf"), String.join("\n", rules) + "\n");
			server.execute("SELECT pg_reload_conf()");
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
	}

	private static String mode() {
		String mode = System.getProperty(MODE_PROPERTY, "embedded");
		return mode.isBlank() ? "embedded" : mode;
	}

	private static PostgresServer create(Map<String, String> settings) {
		String mode = mode();
		if (mode.equals("embedded")) {
			return startEmbedded(settings);
		}
		if (mode.equals("testcontainers")) {
			return ContainerServer.start(settings);
		}
		if (mode.startsWith("jdbc:postgresql:")) {
			return new ExternalServer(mode);
		}
		throw new IllegalArgumentException("Unknown " + MODE_PROPERTY + " '" + mode
				+ "': use embedded, testcontainers or a jdbc:postgresql:// URL");
	}

	private static PostgresServer startEmbedded(Map<String, String> settings) {
		try {
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
			settings.forEach(builder::setServerConfig);
			return new EmbeddedServer(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
	}

	private static final class EmbeddedServer extends PostgresServer {

		private final EmbeddedPostgres postgres;

		EmbeddedServer(EmbeddedPostgres postgres) {
			this.postgres = postgres;
		}

		@Override
		public String jdbcUrl(String database) {
			return "jdbc:postgresql://localhost:" + this.postgres.getPort() + "/" + database;
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
			try {
				this.postgres.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	private static final class ExternalServer extends PostgresServer {

		private final String baseUrl;

		private final String username;

		private final String password;

		ExternalServer(String url) {
			int query = url.indexOf('?');
			String base = (query < 0) ? url : url.substring(0, query);
			this.baseUrl = base.substring(0, base.lastIndexOf('/') + 1);
			Map<String, String> parameters = new java.util.HashMap<>();
			if (query >= 0) {
				for (String pair : url.substring(query + 1).split("&")) {
					String[] parts = pair.split("=", 2);
					parameters.put(parts[0], (parts.length > 1) ? parts[1] : "");
				}
			}
			this.username = parameters.getOrDefault("user", "postgres");
			this.password = parameters.getOrDefault("password", "");
		}

		@Override
		public String jdbcUrl(String database) {
			return this.baseUrl + database;
		}

		@Override
		public String username() {
			return this.username;
		}

		@Override
		public String password() {
			return this.password;
		}

		@Override
		public void close() {
		}

	}

	private static final class Unclosable extends PostgresServer {

		private final PostgresServer delegate;

		Unclosable(PostgresServer delegate) {
			this.delegate = delegate;
		}

		@Override
		public String jdbcUrl(String database) {
			return this.delegate.jdbcUrl(database);
		}

		@Override
		public String username() {
			return this.delegate.username();
		}

		@Override
		public String password() {
			return this.delegate.password();
		}

		@Override
		public void close() {
		}

	}

}
