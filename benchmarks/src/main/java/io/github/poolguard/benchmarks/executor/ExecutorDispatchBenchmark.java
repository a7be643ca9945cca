package io.github.poolguard.benchmarks.executor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.poolguard.batch.BatchMetrics;
import io.github.poolguard.batch.BatchOptions;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.pressure.PressureSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The executor's own dispatch cost: 1,000 items of a small CPU task through
 * {@link ThrottlingExecutor} (one big chunk, no pause, as a batch run would be configured for
 * throughput; and with the default chunk size of 3) against the hand-made baseline teams write: a
 * {@code ThreadPoolExecutor} with a {@code Semaphore} of the same width. Scores are items per
 * millisecond; the ratio against {@code baseline} is what matters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExecutorDispatchBenchmark {

	static final int ITEMS = 1000;

	@Param({ "2" })
	int concurrency;

	private List<Integer> items;

	private ThrottlingExecutor throttling;

	private ExecutorService pool;

	private Semaphore permits;

	@Setup(Level.Trial)
	public void setUp() {
		this.items = IntStream.range(0, ITEMS).boxed().toList();
		BatchOptions options = new BatchOptions(this.concurrency, ITEMS, Duration.ZERO, 3, Duration.ofMillis(500), true);
		PressureSource noPressure = () -> null;
		this.throttling = new ThrottlingExecutor(options, this.concurrency, 1000, Duration.ofSeconds(5),
				() -> List.of(noPressure), BatchMetrics.NONE);
		this.pool = Executors.newFixedThreadPool(this.concurrency);
		this.permits = new Semaphore(this.concurrency);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.throttling.stop();
		this.pool.shutdownNow();
	}

	@Benchmark
	@OperationsPerInvocation(ITEMS)
	public void baseline(Blackhole blackhole) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(ITEMS);
		for (Integer item : this.items) {
			this.permits.acquire();
			this.pool.execute(() -> {
				try {
					blackhole.consume(work(item));
				}
				finally {
					this.permits.release();
					done.countDown();
				}
			});
		}
		done.await();
	}

	@Benchmark
	@OperationsPerInvocation(ITEMS)
	public void throttlingOneChunk(Blackhole blackhole) throws InterruptedException {
		this.throttling.run("bench", this.items, (item) -> blackhole.consume(work(item))).await();
	}

	@Benchmark
	@OperationsPerInvocation(ITEMS)
	public void throttlingChunksOfThree(Blackhole blackhole) throws InterruptedException {
		this.throttling
			.run("bench", this.items, this.throttling.getDefaults().withChunkSize(3), (item) -> blackhole.consume(work(item)))
			.await();
	}

	static long work(int item) {
		long x = item;
		for (int i = 0; i < 2_000; i++) {
			x = x * 6364136223846793005L + 1442695040888963407L;
		}
		return x;
	}

}
