package io.github.poolguard.sample.fetch;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the fetch for the whole universe on {@code sample.fetch.cron} (off by default).
 */
@Component
@ConditionalOnProperty(name = "sample.fetch.mode", havingValue = "guarded", matchIfMissing = true)
class FetchScheduler {

	private static final Log logger = LogFactory.getLog(FetchScheduler.class);

	private final FetchJob job;

	FetchScheduler(FetchJob job) {
		this.job = job;
	}

	@Scheduled(cron = "${sample.fetch.cron:-}")
	void fetchAll() {
		try {
			FetchHandle handle = this.job.start(new FetchRequest(java.util.List.of(), false, true));
			logger.info("Scheduled fetch started as run " + handle.getId());
		}
		catch (FetchAlreadyRunningException ex) {
			logger.info("Scheduled fetch skipped: " + ex.getMessage());
		}
	}

}
