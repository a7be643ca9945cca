package io.github.poolguard.internal.batch;

import io.github.poolguard.batch.BatchMetrics;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link BatchMetrics} published to Micrometer: {@code poolguard.batch.tasks} (tags
 * {@code batch}, {@code outcome}), {@code poolguard.batch.yields} (tag {@code batch}),
 * {@code poolguard.batch.queued}, {@code poolguard.batch.active}, and the adaptive database
 * limit as {@code poolguard.batch.database.limit} and {@code poolguard.batch.database.active}, and
 * the pace the app's experience allows as {@code poolguard.batch.pace} (0 to 1) and
 * {@code poolguard.batch.items.allowed}.
 * The {@code batch} tag is bounded: at most 20 distinct run names, later ones tagged
 * {@code other}.
 */
public class MicrometerBatchMetrics implements BatchMetrics {

	private final MeterRegistry registry;

	private final BatchTagValues batchTags = new BatchTagValues();

	/**
	 * Create metrics on the given registry.
	 * @param registry the registry
	 */
	public MicrometerBatchMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void taskEnded(String batch, String outcome) {
		Counter.builder("poolguard.batch.tasks")
			.description("Batch tasks ended, by batch and outcome")
			.tag("batch", this.batchTags.of(batch))
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	@Override
	public void yielded(String batch) {
		Counter.builder("poolguard.batch.yields")
			.description("Times a batch paused because the application was short of connections")
			.tag("batch", this.batchTags.of(batch))
			.register(this.registry)
			.increment();
	}

	@Override
	public void bind(ThrottlingExecutor executor) {
		Gauge.builder("poolguard.batch.queued", executor, ThrottlingExecutor::getQueuedCount)
			.description("Tasks waiting for a batch worker")
			.register(this.registry);
		Gauge.builder("poolguard.batch.active", executor, ThrottlingExecutor::getActiveCount)
			.description("Batch tasks running now")
			.register(this.registry);
		Gauge.builder("poolguard.batch.database.limit", executor, ThrottlingExecutor::getDatabaseStepLimit)
			.description("Database steps adaptive batch runs may take at once now")
			.register(this.registry);
		Gauge.builder("poolguard.batch.database.active", executor, ThrottlingExecutor::getDatabaseStepsInFlight)
			.description("Database steps of adaptive batch runs running now")
			.register(this.registry);
		Gauge.builder("poolguard.batch.pace", executor, ThrottlingExecutor::getPace)
			.description("Share of their items and database steps the app's experience lets adaptive batch runs use now")
			.register(this.registry);
		Gauge.builder("poolguard.batch.items.allowed", executor, ThrottlingExecutor::getItemsAllowed)
			.description("Items an adaptive batch run at max-concurrency may have in flight now")
			.register(this.registry);
	}

}
