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
		assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
		assertThat(name).startsWith("x".repeat(17) + "~").endsWith(":background");
	}

	@Test
	void everyRoleOfALongApplicationNameSharesOnePrefix() {
		String application = "x".repeat(60);
		String prefix = ConnectionNames.applicationPart(application) + ":";
		for (String role : new String[] { ConnectionNames.APP, ConnectionNames.BACKGROUND, "monitor",
				ConnectionNames.STARTUP }) {
			assertThat(ConnectionNames.of(application, role)).startsWith(prefix).endsWith(":" + role);
		}
		String withInstance = ConnectionNames.applicationPart(application) + ":";
		assertThat(ConnectionNames.of(application, ConnectionNames.BACKGROUND, "a".repeat(20))).startsWith(withInstance)
			.hasSizeLessThanOrEqualTo(63);
		assertThat(ConnectionNames.of(application, ConnectionNames.APP, "pod-1")).startsWith(withInstance);
	}

	@Test
	void twoApplicationNamesThatDifferOnlyPastTheCutAreTwoFleets() {
		String api = ConnectionNames.applicationPart("billing-invoice-service-api");
		String worker = ConnectionNames.applicationPart("billing-invoice-service-worker");
		assertThat(api).isNotEqualTo(worker);
		for (String part : new String[] { api, worker }) {
			assertThat(part).startsWith("billing-invoice-s").matches("\\p{Print}+").doesNotContain(":");
			assertThat(part.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(24);
		}
		// stable: every instance and every restart computes the same part
		assertThat(ConnectionNames.applicationPart("billing-invoice-service-api")).isEqualTo(api);
		assertThat(ConnectionNames.of("billing-invoice-service-api", ConnectionNames.MONITOR, "k3x9q2"))
			.isEqualTo(api + ":monitor:k3x9q2");
		assertThat(ConnectionNames.of("billing-invoice-service-worker", ConnectionNames.MONITOR, "k3x9q2"))
			.isEqualTo(worker + ":monitor:k3x9q2");
		// a name that fits is kept as it is
		assertThat(ConnectionNames.applicationPart("billing-invoice-api")).isEqualTo("billing-invoice-api");
	}

	@Test
	void multiByteCharactersAreNeverSplit() {
		String name = ConnectionNames.of("ação".repeat(30), ConnectionNames.APP);
		assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
		assertThat(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(name);
		assertThat(name).endsWith(":app").doesNotContain("\uFFFD");
	}

}
