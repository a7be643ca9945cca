package io.github.poolguard.internal.pool;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionNamingTests {

	@Test
	void namesAreSentAsThePrintableAsciiTheServerKeeps() {
		assertThat(ConnectionNames.ascii("éé…")).isEqualTo("ee...");
		assertThat(ConnectionNames.ascii("ação")).isEqualTo("acao");
		assertThat(ConnectionNames.ascii("日本-app")).isEqualTo("??-app");
		assertThat(new ConnectionNaming("éé…", null, "m1").app()).isEqualTo("ee...:app");
		assertThat(new ConnectionNaming("éé…", null, "m1").monitor()).isEqualTo("ee...:monitor:m1");
	}

	@Test
	void everyRoleOfALongNameKeepsTheWholeInstanceIdAndOnePrefix() {
		String instance = "i".repeat(InstanceIds.MAX_LENGTH);
		ConnectionNaming naming = new ConnectionNaming("x".repeat(100), instance, instance);
		for (String role : List.of(ConnectionNames.APP, ConnectionNames.BACKGROUND, ConnectionNames.STARTUP,
				ConnectionNames.MONITOR, ConnectionNames.PGBOUNCER_CONSOLE, ConnectionNames.CLAIM)) {
			String name = naming.of(role);
			assertThat(name).startsWith(naming.applicationPart() + ":").endsWith(":" + role + ":" + instance);
			assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ConnectionNames.MAX_BYTES);
		}
	}

	@Test
	void aRoleLongerThanAnyKnownOneShortensTheApplicationPartNotTheRoleOrTheInstance() {
		String role = "r".repeat(40);
		String name = ConnectionNames.of("x".repeat(100), role, "pod-1");
		assertThat(name).startsWith("x".repeat(9) + "~")
			.endsWith(":" + role + ":pod-1")
			.hasSize(ConnectionNames.MAX_BYTES);
	}

}
