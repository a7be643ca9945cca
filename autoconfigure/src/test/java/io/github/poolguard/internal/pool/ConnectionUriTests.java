package io.github.poolguard.internal.pool;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Taking apart libpq-style connection URIs as people paste them.
 */
class ConnectionUriTests {

	@Test
	void prismaUrlGivesAJdbcUrlCredentialsAndPoolSettings() {
		ConnectionUri uri = ConnectionUri
			.parse("postgresql://ticker:S3cret@db.example.com:5432/market?connection_limit=3&pool_timeout=20");
		assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/market");
		assertThat(uri.username()).isEqualTo("ticker");
		assertThat(uri.password()).isEqualTo("S3cret");
		assertThat(uri.maximumPoolSize()).isEqualTo(3);
		assertThat(uri.connectionTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(uri.problems()).isEmpty();
		assertThat(uri.toString()).doesNotContain("S3cret");
	}

	@Test
	void herokuUrlWithEncodedPasswordAndDriverParameters() {
		ConnectionUri uri = ConnectionUri
			.parse("postgres://u%40x:p%40ss%2Fw@h1:5432,h2:5433/db?sslmode=require&schema=app&pgbouncer=true");
		assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/db?sslmode=require&currentSchema=app");
		assertThat(uri.username()).isEqualTo("u@x");
		assertThat(uri.password()).isEqualTo("p@ss/w");
		assertThat(uri.pgbouncer()).isTrue();
	}

	@Test
	void unencodedAtInThePasswordIsStillMaskedWhenRedacted() {
		String url = "postgresql://user:p@ss@host:5432/db";
		assertThat(ConnectionUri.parse(url).password()).isEqualTo("p@ss");
		assertThat(JdbcUrls.redact(url)).isEqualTo("postgresql://******@host:5432/db").doesNotContain("ss@");
	}

	@Test
	void unencodedSlashAndQuestionMarkInThePasswordStayInThePasswordAndAreMasked() {
		String url = "postgresql://user:Sl7S/Tail?Qx@host:5432/db?sslmode=require";
		ConnectionUri uri = ConnectionUri.parse(url);
		assertThat(uri.password()).isEqualTo("Sl7S/Tail?Qx");
		assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db?sslmode=require");
		assertThat(uri.problems()).isEmpty();
		assertThat(JdbcUrls.redact(url)).isEqualTo("postgresql://******@host:5432/db?sslmode=require");
		assertThat(JdbcUrls.redact("jdbc:postgresql://user:a/b?c@host/db")).isEqualTo("jdbc:postgresql://******@host/db");
	}

	@Test
	void atInAQueryParameterDoesNotEndTheUserInfo() {
		ConnectionUri uri = ConnectionUri.parse("postgres://u:pw@h/db?sslmode=require&user=me@tenant");
		assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?sslmode=require");
		assertThat(uri.username()).isEqualTo("me@tenant");
		assertThat(uri.password()).isEqualTo("pw");
	}

	@Test
	void passwordTailIsNeverShownAsAParameterName() {
		ConnectionUri uri = ConnectionUri.parse("postgres://u:a@b?c@h/db?Secret%zz=1");
		assertThat(uri.password()).isEqualTo("a@b?c");
		assertThat(uri.problems()).isNotEmpty().allSatisfy((problem) -> assertThat(problem).doesNotContain("Secret"));
	}

	@Test
	void unknownAndInvalidParametersAreProblemsNamedWithoutTheirValues() {
		ConnectionUri uri = ConnectionUri
			.parse("postgres://u:pw@h/db?sslpassword=Topsecret1&connection_limit=none");
		assertThat(uri.problems()).hasSize(2);
		assertThat(uri.problems().get(0)).contains("sslpassword").doesNotContain("Topsecret1");
		assertThat(uri.problems().get(1)).contains("connection_limit");
	}

	@Test
	void onlyPostgresSchemesAreConnectionUris() {
		assertThat(ConnectionUri.isConnectionUri("postgres://h/db")).isTrue();
		assertThat(ConnectionUri.isConnectionUri("POSTGRESQL://h/db")).isTrue();
		assertThat(ConnectionUri.isConnectionUri("jdbc:postgresql://h/db")).isFalse();
		assertThat(ConnectionUri.isConnectionUri(null)).isFalse();
	}

}
