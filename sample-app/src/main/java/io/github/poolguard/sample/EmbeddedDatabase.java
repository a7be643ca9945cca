package io.github.poolguard.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Starts an embedded PostgreSQL server for the sample when no datasource is configured, so the
 * sample runs on a machine with only a JDK. It runs once the environment is ready and logging is
 * set up (so the server's own output goes where the logs go), and logs the application in as the
 * least-privilege role of {@code db/create-app-role.sql}, never as the superuser. Its data is
 * kept between runs, so a second run is incremental.
 */
final class EmbeddedDatabase implements ApplicationListener<SpringApplicationEvent>, Ordered {

	static final String DATABASE = "tickers";

	static final String ROLE = "ticker_app";

	// zonky's 10 s default is too short on a busy machine
	private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

	private static final Log logger = LogFactory.getLog(EmbeddedDatabase.class);

	private @Nullable EmbeddedPostgres postgres;

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			startIfNoDatasourceConfigured(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.postgres != null
				&& prepared.getApplicationContext().getBeanFactory() instanceof DefaultSingletonBeanRegistry beans) {
			// Stopped with the context (not by zonky's own shutdown hook, which would stop it while a
			// SIGTERM'd run drains), after the pools close and while logging still works.
			beans.registerDisposableBean("embeddedPostgres", this::stop);
		}
		else if (event instanceof ApplicationFailedEvent) {
			stop();
		}
	}

	private void startIfNoDatasourceConfigured(ConfigurableEnvironment environment) {
		if (environment.containsProperty("spring.datasource.url")) {
			return;
		}
		SampleProperties.Embedded settings = Binder.get(environment)
			.bind("sample.embedded", SampleProperties.Embedded.class)
			.orElseGet(SampleProperties.Embedded::new);
		Path dataDirectory = Path.of(settings.getDataDir());
		String url = start(dataDirectory);
		environment.getPropertySources()
			.addFirst(new MapPropertySource("embeddedPostgres", Map.of("spring.datasource.url", url,
					"spring.datasource.username", ROLE, "spring.datasource.password", "")));
		logger.info("No datasource configured: started an embedded PostgreSQL (max_connections 20) at " + url
				+ " as the least-privilege role " + ROLE + ", with its data in " + dataDirectory.toAbsolutePath()
				+ " (kept between runs; delete it to start over, or set SPRING_DATASOURCE_URL to use your own server)");
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	private String start(Path dataDirectory) {
		try {
			Files.createDirectories(dataDirectory.getParent());
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setServerConfig("max_connections", "20")
				.setPGStartupWait(STARTUP_WAIT)
				.setRegisterShutdownHook(false)
				.start();
			this.postgres = postgres;
			createAppRole(postgres);
			return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL server in " + dataDirectory, ex);
		}
	}

	private static void createAppRole(EmbeddedPostgres postgres) throws IOException {
		String script = new ClassPathResource("db/create-app-role.sql").getContentAsString(StandardCharsets.UTF_8);
		try {
			try (Connection connection = postgres.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				if (!statement.executeQuery("SELECT FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
					statement.execute("CREATE DATABASE " + DATABASE);
				}
			}
			DataSource tickers = postgres.getDatabase("postgres", DATABASE);
			try (Connection connection = tickers.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute(script);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the " + ROLE + " role on the embedded PostgreSQL server: "
					+ ex.getMessage(), ex);
		}
	}

	private synchronized void stop() {
		EmbeddedPostgres postgres = this.postgres;
		if (postgres == null) {
			return;
		}
		this.postgres = null;
		try {
			postgres.close();
		}
		catch (IOException ex) {
			logger.warn("Could not stop the embedded PostgreSQL server cleanly: " + ex.getMessage());
		}
	}

}
