package io.github.poolguard.internal.pool;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance ids and the three-part connection names that carry them.
 */
class InstanceIdsTests {

	@Test
	void theProcessIdIsSixLettersOrDigitsAndStable() {
		assertThat(InstanceIds.ofProcess()).matches("[a-z0-9]{6}").isEqualTo(InstanceIds.ofProcess());
		assertThat(InstanceIds.isValid(InstanceIds.ofProcess())).isTrue();
	}

	@Test
	void anIdWithAColonOrTooLongIsInvalid() {
		assertThat(InstanceIds.isValid("pod-3")).isTrue();
		assertThat(InstanceIds.isValid("a:b")).isFalse();
		assertThat(InstanceIds.isValid("x".repeat(21))).isFalse();
		assertThat(InstanceIds.isValid("")).isFalse();
	}

	@Test
	void theInstanceIsTheThirdPartAndTheWholeFitsIn63Bytes() {
		assertThat(ConnectionNames.of("ticker", ConnectionNames.APP, "k3x9q2")).isEqualTo("ticker:app:k3x9q2");
		assertThat(ConnectionNames.of("ticker", ConnectionNames.APP, null)).isEqualTo("ticker:app");
		String name = ConnectionNames.of("x".repeat(100), ConnectionNames.BACKGROUND, "k3x9q2");
		assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ConnectionNames.MAX_BYTES);
		assertThat(name).endsWith(":background:k3x9q2")
			.startsWith(ConnectionNames.applicationPart("x".repeat(100)) + ":");
	}

	@Test
	void theInstanceIsReadBackFromANameOfThisApplicationOnly() {
		assertThat(ConnectionNames.instanceOf("ticker:", "ticker:monitor:k3x9q2")).isEqualTo("k3x9q2");
		assertThat(ConnectionNames.instanceOf("ticker:", "ticker:app")).isEmpty();
		assertThat(ConnectionNames.instanceOf("ticker:", "other:app:k3x9q2")).isNull();
	}

}
