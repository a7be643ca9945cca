package io.github.poolguard.batch;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchProgressTests {

	@Test
	void logLineShowsCountsRateAndEta() {
		BatchProgress progress = new BatchProgress("ticker-fetch", BatchState.RUNNING, 300, 44, 1, 0, 2, 0,
				Instant.now(), Duration.ofMillis(14_516));
		assertThat(progress.toLogLine()).isEqualTo("ticker-fetch: 45/300 (15%) ok=44 failed=1 retries=2 3.1 items/s eta 1m22s");
	}

	@Test
	void summaryLineShowsTheOutcome() {
		BatchProgress progress = new BatchProgress("ticker-fetch", BatchState.STOPPED, 300, 200, 3, 97, 5, 1,
				Instant.now(), Duration.ofSeconds(100));
		assertThat(progress.toSummaryLine())
			.isEqualTo("ticker-fetch: stopped in 1m40s: 300 items, ok=200 failed=3 not-run=97 retries=5 yields=1");
		assertThat(progress.eta()).isNull();
	}

}
