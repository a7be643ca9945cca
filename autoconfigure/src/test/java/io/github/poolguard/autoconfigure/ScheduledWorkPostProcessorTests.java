package io.github.poolguard.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.poolguard.internal.routing.ScheduledWork;
import io.github.poolguard.routing.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScheduledWorkPostProcessor} on schedulers other than Boot's.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduledWorkPostProcessorTests {

	private final ScheduledWorkPostProcessor postProcessor = new ScheduledWorkPostProcessor(
			new ScheduledWork(Workload.BACKGROUND));

	@Test
	void concurrentTaskSchedulerOverAnExecutorServiceRunsTasksAsBackgroundInsideItsOwnDecorator() throws Exception {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
		try {
			ConcurrentTaskScheduler scheduler = new ConcurrentTaskScheduler(executor);
			ThreadLocal<String> marker = new ThreadLocal<>();
			scheduler.setTaskDecorator((task) -> () -> {
				marker.set("own");
				try {
					task.run();
				}
				finally {
					marker.remove();
				}
			});
			this.postProcessor.postProcessBeforeInitialization(scheduler, "ownScheduler");
			CompletableFuture<String> seen = new CompletableFuture<>();
			scheduler.schedule(() -> seen.complete(marker.get() + " " + Workload.current() + " " + ScheduledWork.isRunning()),
					Instant.now());
			assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("own BACKGROUND true");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void schedulerThatTakesNoDecoratorIsNamedWithTheRemedy(CapturedOutput output) {
		this.postProcessor.postProcessBeforeInitialization(new HandMadeScheduler(), "handMade");
		assertThat(output).contains("task scheduler 'handMade'")
			.contains("poolguard.scheduling.workload")
			.contains("Workload.BACKGROUND.wrap(...)");
	}

	static class HandMadeScheduler implements TaskScheduler {

		@Override
		public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
			throw new UnsupportedOperationException();
		}

	}

}
