package io.github.poolguard.internal.budget;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SuperuserPolicyTests {

	private static final ServerSettings SUPERUSER = new ServerSettings(100, 3, 0, Duration.ZERO, true);

	private static final ServerSettings ORDINARY = new ServerSettings(100, 3, 0, Duration.ZERO, false);

	@Test
	void refusedSuperuserThrowsNamingTheRole() {
		assertThatExceptionOfType(SuperuserNotAllowedException.class)
			.isThrownBy(() -> new SuperuserPolicy(false).check(SUPERUSER, "postgres"))
			.satisfies((ex) -> assertThat(ex.getUsername()).isEqualTo("postgres"));
	}

	@Test
	void allowedSuperuserIsWorthAWarningAndAnOrdinaryRoleIsNot() {
		assertThat(new SuperuserPolicy(true).check(SUPERUSER, null)).isTrue();
		assertThat(new SuperuserPolicy(false).check(ORDINARY, "app")).isFalse();
	}

}
