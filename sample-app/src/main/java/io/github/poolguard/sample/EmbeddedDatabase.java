package io.github.poolguard.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts an embedded PostgreSQL server for the sample when no datasource is configured, so the
 * sample runs on a machine with only a JDK. Its data is kept between runs, so a second run is
 * incremental.
 */
final class EmbeddedDatabase {

	private static final Log logger = LogFactory.getLog(EmbeddedDatabase.class);

	private EmbeddedDatabase() {
	}

	/**
	 * Start the embedded server unless a datasource URL is given, and point Spring at it.
	 * @param args the command line, checked for {@code --spring.datasource.url}
	 */
	static void startIfNoDatasourceConfigured(String[] args) {
		if (System.getenv("SPRING_DATASOURCE_URL") != null || System.getProperty("spring.datasource.url") != null) {
			return;
		}
		for (String arg : args) {
			if (arg.startsWith("--spring.datasource.url=")) {
				return;
			}
		}
		Path dataDirectory = Path.of(System.getProperty("sample.embedded.data-dir",
				Path.of(System.getProperty("user.home"), ".poolguard-sample", "pgdata").toString()));
		try {
			Files.createDirectories(dataDirectory.getParent());
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setServerConfig("max_connections", "20")
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					logger.warn("Could not stop the embedded PostgreSQL server cleanly: " + ex.getMessage());
				}
			}, "embedded-postgres-stop"));
			String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
			System.setProperty("spring.datasource.url", url);
			System.setProperty("spring.datasource.username", "postgres");
			System.setProperty("spring.datasource.password", "postgres");
			logger.info("No datasource configured: started an embedded PostgreSQL (max_connections 20) at " + url
					+ " with its data in " + dataDirectory.toAbsolutePath()
					+ " (kept between runs; delete it to start over, or set SPRING_DATASOURCE_URL to use your own server)");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL server in " + dataDirectory, ex);
		}
	}

}
