package io.github.poolguard.internal.pool;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The advice the startup check logs: keepalive against the server's idle limit, and the
 * {@code ALTER ROLE} statements behind a transaction-pooling PgBouncer.
 */
class StartupAdviceTests {

	private static final ServerLimits APP = new ServerLimits(Duration.ofSeconds(30), Duration.ofMinutes(5),
			Duration.ofSeconds(10));

	private static final ServerLimits BACKGROUND = new ServerLimits(Duration.ofMinutes(5), Duration.ofMinutes(5),
			Duration.ofSeconds(10));

	@Test
	void poolKeepingConnectionsLongerThanTheServerAllowsIsNamed() {
		HikariConfig slow = pool("slow", 0);
		HikariConfig quick = pool("quick", 30_000);
		assertThat(KeepaliveAdvice.check(Duration.ofSeconds(60), slow, quick)).singleElement()
			.asString()
			.contains("pool 'slow' keeps idle connections for up to 1800 s")
			.contains("below 60 s");
		assertThat(KeepaliveAdvice.check(Duration.ZERO, slow, quick)).isEmpty();
	}

	@Test
	void rolesOfTheirOwnGetStatementsEach() {
		AlterRoleAdvice advice = new AlterRoleAdvice("web", APP, "batch", BACKGROUND);
		assertThat(advice.statements()).contains("ALTER ROLE \"web\" SET statement_timeout = 30000;")
			.contains("ALTER ROLE \"batch\" SET statement_timeout = 300000;");
		assertThat(advice.conflictingBackgroundLimits()).isNull();
	}

	@Test
	void oneRoleWithTwoSetsOfLimitsIsAConflict() {
		AlterRoleAdvice advice = new AlterRoleAdvice("app", APP, "app", BACKGROUND);
		assertThat(advice.statements()).contains("ALTER ROLE \"app\" SET statement_timeout = 30000;")
			.doesNotContain("statement_timeout = 300000");
		assertThat(advice.conflictingBackgroundLimits()).containsEntry("statement_timeout", 300_000L);
		assertThat(new AlterRoleAdvice("app", APP, "app", APP).conflictingBackgroundLimits()).isNull();
	}

	private static HikariConfig pool(String name, long keepalive) {
		HikariConfig pool = new HikariConfig();
		pool.setPoolName(name);
		pool.setKeepaliveTime(keepalive);
		return pool;
	}

}
