package io.github.poolguard.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.Test;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Micrometer's context propagation carries the workload, through the accessor registered in
 * {@code META-INF/services}.
 */
class WorkloadThreadLocalAccessorTests {

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	@Test
	void aSnapshotTakenInBackgroundWorkRunsItsTaskAsBackgroundOnAnotherThread() throws Exception {
		Runnable[] task = new Runnable[1];
		CompletableFuture<Workload> seen = new CompletableFuture<>();
		Workload.BACKGROUND.run(() -> {
			ContextSnapshot snapshot = this.snapshots.captureAll();
			Runnable report = () -> seen.complete(Workload.current());
			task[0] = snapshot.wrap(report);
		});
		Thread thread = new Thread(task[0]);
		thread.start();
		assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(Workload.BACKGROUND);
	}

	@Test
	void springsContextPropagatingTaskDecoratorCarriesTheWorkloadAndRestoresTheThread() {
		Runnable decorated = Workload.BACKGROUND.get(() -> new ContextPropagatingTaskDecorator()
			.decorate(() -> assertThat(Workload.current()).isEqualTo(Workload.BACKGROUND)));
		decorated.run();
		assertThat(Workload.current()).isEqualTo(Workload.APP);
	}

	@Test
	void aSnapshotTakenOutsideAnyScopeLeavesTheWorkloadOfTheRunningThread() {
		Runnable check = () -> assertThat(Workload.current()).isEqualTo(Workload.BACKGROUND);
		Runnable decorated = this.snapshots.captureAll().wrap(check);
		Workload.BACKGROUND.run(decorated);
	}

}
