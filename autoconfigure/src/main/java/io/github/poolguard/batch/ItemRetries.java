package io.github.poolguard.batch;

import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * The retry of a run's items: transient database failures only, {@code max-attempts} in all,
 * waiting {@code initial-backoff} and doubling; each retry counted on the run.
 */
final class ItemRetries {

	private ItemRetries() {
	}

	static RetryTemplate of(BatchRun<?> run, BatchOptions options) {
		RetryPolicy policy = RetryPolicy.builder()
			.maxRetries(options.maxAttempts() - 1)
			.delay(options.initialBackoff())
			.multiplier(2)
			.predicate(TransientFailures::isTransient)
			.build();
		RetryTemplate retry = new RetryTemplate(policy);
		retry.setRetryListener(new RetryListener() {

			@Override
			public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState retryState) {
				run.retried();
			}

		});
		return retry;
	}

}
