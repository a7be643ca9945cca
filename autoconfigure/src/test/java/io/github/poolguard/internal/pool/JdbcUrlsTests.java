package io.github.poolguard.internal.pool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcUrlsTests {

	@Test
	void redactMasksUserInfoAndPasswordParameters() {
		String url = "jdbc:postgresql://bob:hunter2@db:5432/app?user=bob&password=hunter2&sslpassword=x9&ssl=true";
		String redacted = JdbcUrls.redact(url);
		assertThat(redacted).doesNotContain("hunter2").doesNotContain("x9").contains("ssl=true").contains("db:5432/app");
	}

	@Test
	void recognisesPostgresUrls() {
		assertThat(JdbcUrls.isPostgres("jdbc:postgresql://localhost/app")).isTrue();
		assertThat(JdbcUrls.isPostgres("jdbc:h2:mem:test")).isFalse();
		assertThat(JdbcUrls.isPostgres(null)).isFalse();
	}

	@Test
	void secondQuestionMarkIsReported() {
		assertThat(JdbcUrls.findMisplacedSettings("jdbc:postgresql://db/app?currentSchema=public?connection_limit=5"))
			.anySatisfy((problem) -> assertThat(problem).contains("second '?'"))
			.anySatisfy((problem) -> assertThat(problem).contains("connection_limit"));
	}

	@Test
	void optionsInTheUrlAreReportedBecauseTheyWouldDropTheServerSideLimits() {
		assertThat(JdbcUrls.findMisplacedSettings("jdbc:postgresql://db/app?options=-c%20search_path=x"))
			.singleElement()
			.asString()
			.contains("'options'")
			.contains("data-source-properties.options");
	}

	@Test
	void driverParametersAreFine() {
		assertThat(JdbcUrls.findMisplacedSettings("jdbc:postgresql://db/app?sslmode=require&reWriteBatchedInserts=true"))
			.isEmpty();
	}

}
