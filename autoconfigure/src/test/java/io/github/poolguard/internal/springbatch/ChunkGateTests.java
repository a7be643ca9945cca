package io.github.poolguard.internal.springbatch;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.poolguard.batch.BatchMetrics;
import io.github.poolguard.internal.routing.BackgroundHolds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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
		List<ChunkGate.Permit> permits = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			permits.add(gate.enter("import"));
		}
		Future<?> fourth = this.chunks.submit(() -> gate.enter("import"));
		await().atMost(Duration.ofSeconds(5)).until(() -> gate.getWaiting() == 1);
		assertThat(fourth).isNotDone();
		assertThat(gate.getInUse()).isEqualTo(3);

		permits.get(0).close();
		await().atMost(Duration.ofSeconds(5)).until(fourth::isDone);
		assertThat(gate.getInUse()).isEqualTo(3);
		assertThat(gate.getPeakInUse()).isEqualTo(3);
	}

	@Test
	void thePermitsFollowThePoolsLiveMaximumAndAWaitingChunkGoesOnWhenItGrows() throws Exception {
		AtomicInteger maximum = new AtomicInteger(3);
		ChunkGate gate = new ChunkGate(maximum::get, new BackgroundHolds(), this.pressure::get,
				Duration.ofSeconds(10), this.metrics);
		ChunkGate.Permit first = gate.enter("import");
		maximum.set(1);
		assertThat(gate.getPermits()).isOne();
		Future<ChunkGate.Permit> second = this.chunks.submit(() -> gate.enter("import"));
		await().atMost(Duration.ofSeconds(5)).until(() -> gate.getWaiting() == 1);
		assertThat(second).isNotDone();

		// no chunk ends: the pool growing alone lets it in
		maximum.set(2);
		await().atMost(Duration.ofSeconds(5)).until(second::isDone);
		assertThat(gate.getInUse()).isEqualTo(2);
		first.close();
		second.get().close();
		assertThat(gate.getInUse()).isZero();
	}

	@Test
	void aConnectionTheStepsThreadHoldsOutsideItsChunksTakesAPermit() throws Exception {
		BackgroundHolds holds = new BackgroundHolds();
		ChunkGate gate = new ChunkGate(() -> 3, holds, this.pressure::get, Duration.ofSeconds(10), this.metrics);
		Object execution = new Object();
		// the step's thread opens its cursor reader, then runs its chunks on two other threads
		gate.stepStarted(execution);
		Connection reader = holds.track(connection());
		assertThat(gate.getPermits()).isEqualTo(2);
		ChunkGate.Permit first = this.chunks.submit(() -> gate.enter("import", execution)).get();
		ChunkGate.Permit second = this.chunks.submit(() -> gate.enter("import", execution)).get();
		Future<ChunkGate.Permit> third = this.chunks.submit(() -> gate.enter("import", execution));
		await().atMost(Duration.ofSeconds(5)).until(() -> gate.getWaiting() == 1);
		assertThat(third).isNotDone();

		// the reader closes: its connection is the pool's again
		reader.close();
		await().atMost(Duration.ofSeconds(5)).until(third::isDone);
		first.close();
		second.close();
		third.get().close();
		gate.stepEnded(execution);
		assertThat(gate.getPermits()).isEqualTo(3);
	}

	@Test
	void aStepWhoseReaderHoldsThePoolsOnlyConnectionFailsAtOnceNamingTheSettingAndReleasesIt() {
		BackgroundHolds holds = new BackgroundHolds();
		ChunkGate gate = new ChunkGate(() -> 1, holds, this.pressure::get, Duration.ofSeconds(10), this.metrics);
		Object execution = new Object();
		gate.stepStarted(execution);
		Connection reader = holds.track(connection());

		assertThatExceptionOfType(StepCannotRunException.class).isThrownBy(() -> gate.enter("import", execution))
			.withMessageContaining("Spring Batch step 'import' cannot run in the background pool: the pool may have"
					+ " 1 connection(s) now (poolguard.background.hikari.maximum-pool-size, or less where the fleet"
					+ " shares the server: poolguard.fleet.min-app-pool and the server's max_connections), the step"
					+ " holds 1 outside its chunks")
			.withMessageContaining("1 - 1 = 0 for its chunks. Give the background pool at least 2 connections.")
			.withMessageContaining("PoolGuard closed the 1 connection(s) the step held");
		assertThat(holds.current().count()).isZero();
		assertThat(reader).satisfies((closed) -> assertThat(closed.isClosed()).isTrue());
		assertThat(gate.getInUse()).isZero();
	}

	@Test
	void stepsWhoseReadersTakeTheWholePoolWhileAllWaitForAChunkFailOneSoThatTheOthersGoOn() throws Exception {
		BackgroundHolds holds = new BackgroundHolds();
		ChunkGate gate = new ChunkGate(() -> 2, holds, this.pressure::get, Duration.ofSeconds(10), this.metrics);
		CountDownLatch opened = new CountDownLatch(2);
		Callable<String> step = () -> {
			Object execution = new Object();
			gate.stepStarted(execution);
			holds.track(connection());
			opened.countDown();
			opened.await();
			try (ChunkGate.Permit permit = gate.enter("import", execution)) {
				return "COMPLETED";
			}
			catch (StepCannotRunException ex) {
				return "FAILED";
			}
			finally {
				gate.stepEnded(execution);
			}
		};
		Future<String> first = this.chunks.submit(step);
		Future<String> second = this.chunks.submit(step);
		assertThat(List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS)))
			.containsExactlyInAnyOrder("COMPLETED", "FAILED");
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

	private static Connection connection() {
		AtomicBoolean closed = new AtomicBoolean();
		return (Connection) Proxy.newProxyInstance(ChunkGateTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> switch (method.getName()) {
					case "close" -> {
						closed.set(true);
						yield null;
					}
					case "isClosed" -> closed.get();
					default -> throw new UnsupportedOperationException(method.getName());
				});
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
