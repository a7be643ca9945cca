package io.github.poolguard.internal.pool;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionNamesTests {

	@Test
	void shortNameIsApplicationColonRole() {
		assertThat(ConnectionNames.of("ticker-service", ConnectionNames.BACKGROUND))
			.isEqualTo("ticker-service:background");
	}

	@Test
	void longNameIsShortenedToFitSixtyThreeBytesAndKeepsTheRole() {
		String name = ConnectionNames.of("x".repeat(100), ConnectionNames.BACKGROUND);
		assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(63);
		assertThat(name).endsWith(":background");
	}

	@Test
	void everyRoleOfALongApplicationNameSharesOnePrefix() {
		String application = "x".repeat(60);
		String prefix = ConnectionNames.applicationPart(application, false) + ":";
		for (String role : new String[] { ConnectionNames.APP, ConnectionNames.BACKGROUND, "monitor",
				ConnectionNames.STARTUP }) {
			assertThat(ConnectionNames.of(application, role)).startsWith(prefix).endsWith(":" + role);
		}
		String withInstance = ConnectionNames.applicationPart(application, true) + ":";
		assertThat(ConnectionNames.of(application, ConnectionNames.BACKGROUND, "a".repeat(20))).startsWith(withInstance)
			.hasSizeLessThanOrEqualTo(63);
		assertThat(ConnectionNames.of(application, ConnectionNames.APP, "pod-1")).startsWith(withInstance);
	}

	@Test
	void multiByteCharactersAreNeverSplit() {
		String name = ConnectionNames.of("ação".repeat(30), ConnectionNames.APP);
		assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
		assertThat(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(name);
		assertThat(name).endsWith(":app").doesNotContain("\uFFFD");
	}

}
