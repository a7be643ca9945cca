package io.github.poolguard.internal.springbatch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.poolguard.batch.BatchMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a Spring Batch chunk meets before its transaction: no more chunks at once than the
 * permits, a wait while the application reports pressure, and never a longer wait than
 * {@code max-yield}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChunkGateTests {

	private final ExecutorService chunks = Executors.newCachedThreadPool();

	private final AtomicReference<String> pressure = new AtomicReference<>();

	private final AtomicInteger yields = new AtomicInteger();

	private final BatchMetrics metrics = new BatchMetrics() {

		@Override
		public void yielded(String batch) {
			ChunkGateTests.this.yields.incrementAndGet();
		}

	};

	@AfterEach
	void stopChunks() {
		this.chunks.shutdownNow();
	}

	@Test
	void aChunkBeyondThePermitsWaitsUntilOneEnds() throws Exception {
		ChunkGate gate = new ChunkGate(3, this.pressure::get, Duration.ofSeconds(10), this.metrics);
		for (int i = 0; i < 3; i++) {
			gate.enter("import");
		}
		Future<?> fourth = this.chunks.submit(() -> {
			gate.enter("import");
			return null;
		});
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !fourth.isDone());
		assertThat(gate.getInUse()).isEqualTo(3);

		gate.leave();
		await().atMost(Duration.ofSeconds(5)).until(fourth::isDone);
		assertThat(gate.getInUse()).isEqualTo(3);
		assertThat(gate.getPeakInUse()).isEqualTo(3);
	}

	@Test
	void aChunkWaitsWhileTheApplicationIsUnderPressureAndGoesOnWhenItEnds(CapturedOutput output) {
		ChunkGate gate = new ChunkGate(3, this.pressure::get, Duration.ofMinutes(10), this.metrics);
		this.pressure.set("2 threads are waiting for an app pool connection");
		CompletableFuture<Void> chunk = CompletableFuture.runAsync(() -> enter(gate), this.chunks);
		await().atMost(Duration.ofSeconds(5)).until(gate::isYielding);
		assertThat(chunk).isNotDone();
		assertThat(gate.getInUse()).isZero();

		this.pressure.set(null);
		await().atMost(Duration.ofSeconds(5)).until(chunk::isDone);
		assertThat(gate.isYielding()).isFalse();
		assertThat(gate.getInUse()).isOne();
		assertThat(this.yields).hasValue(1);
		assertThat(output).containsOnlyOnce(
				"import: pausing before the next chunk: 2 threads are waiting for an app pool connection")
			.containsOnlyOnce("import: resuming after the pressure ended");
	}

	@Test
	void aChunkRunsAfterMaxYieldAlthoughThePressurePersists(CapturedOutput output) {
		ChunkGate gate = new ChunkGate(3, this.pressure::get, Duration.ofMillis(200), this.metrics);
		this.pressure.set("the server is past the warning threshold");
		CompletableFuture<Void> chunk = CompletableFuture.runAsync(() -> enter(gate), this.chunks);
		await().atMost(Duration.ofSeconds(10)).until(chunk::isDone);
		assertThat(gate.getInUse()).isOne();
		assertThat(output).containsOnlyOnce("import: running a chunk after pausing for 200 ms"
				+ " (poolguard.batch.max-yield) although the pressure persists: the server is past the warning threshold");
	}

	private static void enter(ChunkGate gate) {
		try {
			gate.enter("import");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
