package io.github.poolguard.internal.pgbouncer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver settings added to PgBouncer's admin console URL.
 */
class ConsoleUrlTests {

	@Test
	void aPlainUrlGetsSimpleQueriesStartupNamesAndNoSetupSets() {
		assertThat(ConsoleUrl.of("jdbc:postgresql://pgbouncer:6432/pgbouncer")).isEqualTo(
				"jdbc:postgresql://pgbouncer:6432/pgbouncer?preferQueryMode=simple&assumeMinServerVersion=9.0"
						+ "&replication=database");
	}

	@Test
	void theUrlsOwnParametersStayAndTheSettingsFollowThem() {
		assertThat(ConsoleUrl.of("jdbc:postgresql://pgbouncer:6432/pgbouncer?sslmode=require")).isEqualTo(
				"jdbc:postgresql://pgbouncer:6432/pgbouncer?sslmode=require&preferQueryMode=simple"
						+ "&assumeMinServerVersion=9.0&replication=database");
	}

	@Test
	void aSettingTheUrlStatesIsKept() {
		assertThat(ConsoleUrl.of("jdbc:postgresql://pgbouncer/pgbouncer?preferQueryMode=extended&assumeMinServerVersion=9.2"))
			.isEqualTo("jdbc:postgresql://pgbouncer/pgbouncer?preferQueryMode=extended&assumeMinServerVersion=9.2"
					+ "&replication=database");
	}

	@Test
	void aUrlThatAssumesNineFourOrLaterGetsNoReplicationSinceTheDriverWouldSendIt() {
		assertThat(ConsoleUrl.of("jdbc:postgresql://pgbouncer/pgbouncer?assumeMinServerVersion=9.4"))
			.isEqualTo("jdbc:postgresql://pgbouncer/pgbouncer?assumeMinServerVersion=9.4&preferQueryMode=simple");
		assertThat(ConsoleUrl.of("jdbc:postgresql://pgbouncer/pgbouncer?assumeMinServerVersion=12"))
			.doesNotContain("replication");
	}

	@Test
	void aNameThatOnlyEndsLikeASettingIsNotTheSetting() {
		assertThat(ConsoleUrl.of("jdbc:postgresql://pgbouncer/pgbouncer?xpreferQueryMode=extended"))
			.contains("&preferQueryMode=simple");
	}

}
