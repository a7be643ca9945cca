package io.github.poolguard.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code poolguard.*} key reaches the generated configuration metadata with a description,
 * so IDEs can complete and explain it.
 */
class ConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyPoolGuardKeyHasADescription() throws Exception {
		String json = Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json"));
		List<Map<String, Object>> ours = JsonPath.read(json, "$.properties[?(@.name =~ /poolguard\\..*/)]");
		assertThat(ours).extracting((property) -> property.get("name"))
			.contains("poolguard.enabled", "poolguard.app.statement-timeout", "poolguard.background.url",
					"poolguard.background.hikari.maximum-pool-size", "poolguard.budget.on-overcommit",
					"poolguard.guard.extra-pools", "poolguard.monitor.interval", "poolguard.monitor.query-timeout",
					"poolguard.monitor.url", "poolguard.monitor.enabled", "poolguard.health.warning-threshold",
					"poolguard.health.critical-threshold", "poolguard.health.replace-db-indicator",
					"poolguard.leak.threshold", "poolguard.leak.capture-stack", "poolguard.leak.enabled",
					"poolguard.instance-id", "poolguard.pgbouncer.mode", "poolguard.pgbouncer.pool-size",
					"poolguard.pgbouncer.admin-url", "poolguard.pgbouncer.admin-username",
					"poolguard.pgbouncer.admin-password");
		assertThat(ours).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
	}

}
