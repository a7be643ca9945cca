package io.github.poolguard.internal.batch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchTagValues}.
 */
class BatchTagValuesTests {

	@Test
	void theBatchTagKeepsTwentyNamesAndCallsTheRestOther() {
		BatchTagValues tags = new BatchTagValues();
		assertThat(tags.of("Fetch Ward")).isEqualTo("fetch-ward");
		for (int i = 0; i < 19; i++) {
			assertThat(tags.of("import-" + i)).isEqualTo("import-" + i);
		}
		assertThat(tags.of("import-2026-11-24")).isEqualTo(BatchTagValues.OTHER);
		assertThat(tags.of("fetch ward")).isEqualTo("fetch-ward");
	}

}
