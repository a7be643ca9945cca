package io.github.poolguard.internal.pool;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerLimitsTests {

	private final ServerLimits limits = new ServerLimits(Duration.ofSeconds(30), Duration.ofMinutes(5),
			Duration.ofSeconds(10));

	@Test
	void startupOptionsCarryEachLimitInMilliseconds() {
		assertThat(this.limits.toStartupOptions(null)).isEqualTo(
				"-c statement_timeout=30000 -c idle_in_transaction_session_timeout=300000 -c lock_timeout=10000");
	}

	@Test
	void optionsTheUserSetAreKeptAndWin() {
		assertThat(this.limits.toStartupOptions("-c search_path=app -c statement_timeout=1000")).isEqualTo(
				"-c search_path=app -c statement_timeout=1000 -c idle_in_transaction_session_timeout=300000"
						+ " -c lock_timeout=10000");
	}

	@Test
	void socketTimeoutOutlastsTheStatementTimeout() {
		assertThat(this.limits.socketTimeoutSeconds()).isEqualTo(45);
		assertThat(new ServerLimits(Duration.ZERO, Duration.ZERO, Duration.ZERO).socketTimeoutSeconds()).isZero();
	}

	@Test
	void alterRoleStatementsQuoteTheRole() {
		assertThat(this.limits.toAlterRoleStatements("ticker\"app"))
			.contains("ALTER ROLE \"ticker\"\"app\" SET statement_timeout = 30000;");
	}

}
