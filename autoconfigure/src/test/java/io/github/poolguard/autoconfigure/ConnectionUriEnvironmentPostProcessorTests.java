package io.github.poolguard.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.poolguard.internal.pool.MisplacedUrlSettingsException;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rewriting pasted connection URIs in the environment, before anything binds.
 */
class ConnectionUriEnvironmentPostProcessorTests {

	private final List<String> warnings = new ArrayList<>();

	private final ConnectionUriEnvironmentPostProcessor postProcessor = new ConnectionUriEnvironmentPostProcessor(
			(supplier) -> recording(supplier.get()));

	@Test
	void explicitKeysWinOverTheUrlAndTheRestMoveToThePoolsKeys() {
		StandardEnvironment environment = environment(Map.of("spring.datasource.url",
				"postgres://app:InUrl-Pw1@db:5432/shop?connection_limit=7&pool_timeout=3",
				"spring.datasource.password", "Explicit-Pw2", "spring.datasource.hikari.maximum-pool-size", "12"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db:5432/shop");
		assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("app");
		assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("Explicit-Pw2");
		assertThat(environment.getProperty("spring.datasource.hikari.maximum-pool-size")).isEqualTo("12");
		assertThat(environment.getProperty("spring.datasource.hikari.connection-timeout")).isEqualTo("3000");
	}

	@Test
	void pgbouncerTrueAdvisesTransactionModeWithoutThePassword() {
		StandardEnvironment environment = environment(
				Map.of("poolguard.background.url", "postgresql://batch:Bg-Pw3@bouncer:6432/shop?pgbouncer=true"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("poolguard.background.username")).isEqualTo("batch");
		assertThat(this.warnings).singleElement().asString()
			.contains("poolguard.pgbouncer.mode=transaction")
			.doesNotContain("Bg-Pw3");
	}

	@Test
	void monitorUrlLosesItsCredentialsAndRefusesPoolParameters() {
		StandardEnvironment environment = environment(Map.of("poolguard.monitor.url", "postgres://m:Mon-Pw4@db/shop"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("poolguard.monitor.url")).isEqualTo("jdbc:postgresql://db/shop");
		assertThat(environment.containsProperty("spring.datasource.password")).isFalse();
		StandardEnvironment pooled = environment(
				Map.of("poolguard.monitor.url", "postgres://m:Mon-Pw4@db/shop?connection_limit=2"));
		assertThatExceptionOfType(MisplacedUrlSettingsException.class)
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(pooled, new SpringApplication()))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("poolguard.monitor.url").doesNotContain("Mon-Pw4"));
	}

	@Test
	void jdbcUrlsAndDisabledPoolGuardAreLeftAlone() {
		StandardEnvironment plain = environment(Map.of("spring.datasource.url", "jdbc:postgresql://db/shop"));
		this.postProcessor.postProcessEnvironment(plain, new SpringApplication());
		assertThat(plain.getPropertySources().contains(ConnectionUriEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		StandardEnvironment disabled = environment(
				Map.of("spring.datasource.url", "postgres://a:b@db/shop", "poolguard.enabled", "false"));
		this.postProcessor.postProcessEnvironment(disabled, new SpringApplication());
		assertThat(disabled.getProperty("spring.datasource.url")).isEqualTo("postgres://a:b@db/shop");
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	private Log recording(Log delegate) {
		List<String> warnings = this.warnings;
		return (Log) java.lang.reflect.Proxy.newProxyInstance(Log.class.getClassLoader(), new Class<?>[] { Log.class },
				(proxy, method, args) -> {
					if (method.getName().equals("warn")) {
						warnings.add(String.valueOf(args[0]));
					}
					return method.getReturnType().equals(boolean.class) ? Boolean.TRUE : null;
				});
	}

}
