package io.github.poolguard.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.poolguard.internal.pool.ConnectionUri;
import io.github.poolguard.internal.pool.JdbcUrls;
import io.github.poolguard.internal.pool.MisplacedUrlSettingsException;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Accepts libpq-style connection URIs ({@code postgres[ql]://user:password@host:port/db?…}) in
 * {@code spring.datasource.url}, {@code poolguard.background.url} and
 * {@code poolguard.monitor.url}, once, before anything binds: each is rewritten into a
 * {@code jdbc:postgresql://} URL without credentials in a property source of the highest
 * precedence. The user name and password move to the pool's {@code username} and
 * {@code password} keys, {@code connection_limit} to its {@code hikari.maximum-pool-size} and
 * {@code pool_timeout} (seconds) to its {@code hikari.connection-timeout}; keys set explicitly
 * win over the URI. {@code pgbouncer=true} logs the advice to set
 * {@code poolguard.pgbouncer.mode=transaction}. Any other parameter fails startup with a failure
 * analysis naming the property, never showing the password.
 */
class ConnectionUriEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Name of the property source holding the rewritten URLs.
	 */
	public static final String PROPERTY_SOURCE_NAME = "poolguardConnectionUris";

	private static final List<Target> TARGETS = List.of(
			new Target("spring.datasource.url", "spring.datasource", "spring.datasource.hikari"),
			new Target("poolguard.background.url", "poolguard.background", "poolguard.background.hikari"),
			new Target("poolguard.monitor.url", null, null));

	private final Log logger;

	/**
	 * Create the post-processor.
	 * @param logFactory gives a log that writes once logging is set up
	 */
	public ConnectionUriEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(ConnectionUriEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// after the application's configuration files are loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("poolguard.enabled", Boolean.class, true)) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		for (Target target : TARGETS) {
			String url = environment.getProperty(target.urlProperty());
			if (ConnectionUri.isConnectionUri(url)) {
				rewrite(environment, target, url, properties);
			}
		}
		if (!properties.isEmpty()) {
			environment.getPropertySources().remove(PROPERTY_SOURCE_NAME);
			environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		}
	}

	private void rewrite(ConfigurableEnvironment environment, Target target, String url,
			Map<String, Object> properties) {
		ConnectionUri uri = ConnectionUri.parse(url);
		if (target.prefix() == null && (uri.maximumPoolSize() != null || uri.connectionTimeout() != null)) {
			throw new MisplacedUrlSettingsException(target.urlProperty(), url,
					List.of("the monitor has no pool: connection_limit and pool_timeout do not apply to it"));
		}
		if (!uri.problems().isEmpty()) {
			throw new MisplacedUrlSettingsException(target.urlProperty(), url, uri.problems());
		}
		properties.put(target.urlProperty(), uri.jdbcUrl());
		if (target.prefix() != null) {
			putUnlessSet(environment, properties, target.prefix() + ".username", uri.username());
			putUnlessSet(environment, properties, target.prefix() + ".password", uri.password());
			putUnlessSet(environment, properties, target.hikariPrefix() + ".maximum-pool-size", uri.maximumPoolSize());
			putUnlessSet(environment, properties, target.hikariPrefix() + ".connection-timeout",
					(uri.connectionTimeout() != null) ? uri.connectionTimeout().toMillis() : null);
		}
		if (uri.pgbouncer() && !"transaction".equalsIgnoreCase(environment.getProperty("poolguard.pgbouncer.mode"))) {
			this.logger.warn("PoolGuard: " + target.urlProperty() + " (" + JdbcUrls.redact(url) + ") says"
					+ " pgbouncer=true: if that PgBouncer pools in transaction mode, set"
					+ " poolguard.pgbouncer.mode=transaction, so that PoolGuard stops sending server-side limits as"
					+ " startup options and disables server-side prepared statements.");
		}
		this.logger.info("PoolGuard: " + target.urlProperty() + " is a connection URI; using "
				+ JdbcUrls.redact(uri.jdbcUrl())
				+ ((target.prefix() != null) ? " with its credentials and pool settings in " + target.prefix() + ".*"
						: " with the app pool's credentials"));
	}

	private static void putUnlessSet(ConfigurableEnvironment environment, Map<String, Object> properties, String key,
			@org.jspecify.annotations.Nullable Object value) {
		if (value != null && !environment.containsProperty(key)) {
			properties.put(key, value);
		}
	}

	private record Target(String urlProperty, @org.jspecify.annotations.Nullable String prefix,
			@org.jspecify.annotations.Nullable String hikariPrefix) {

	}

}
