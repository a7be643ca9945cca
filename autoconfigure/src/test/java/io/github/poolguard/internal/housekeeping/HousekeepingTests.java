package io.github.poolguard.internal.housekeeping;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HousekeepingTests {

	@Test
	void everyComponentsTaskRunsOnTheSameTwoThreads() {
		try (Housekeeping housekeeping = new Housekeeping("poolguard-housekeeping", 2)) {
			Set<String> threads = ConcurrentHashMap.newKeySet();
			AtomicInteger[] runs = { new AtomicInteger(), new AtomicInteger(), new AtomicInteger() };
			for (AtomicInteger count : runs) {
				housekeeping.every(Duration.ZERO, Duration.ofMillis(10), () -> {
					threads.add(Thread.currentThread().getName());
					count.incrementAndGet();
				});
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> runs[0].get() >= 3 && runs[1].get() >= 3 && runs[2].get() >= 3);
			assertThat(housekeeping.threadsStarted()).isEqualTo(2);
			assertThat(threads).isSubsetOf("poolguard-housekeeping-1", "poolguard-housekeeping-2");
		}
	}

	@Test
	void cancelInterruptsARunInProgressWaitsForItAndTheTaskNeverRunsAgain() throws InterruptedException {
		try (Housekeeping housekeeping = new Housekeeping("poolguard-test", 1)) {
			CountDownLatch running = new CountDownLatch(1);
			AtomicBoolean interrupted = new AtomicBoolean();
			AtomicInteger runs = new AtomicInteger();
			Housekeeping.Schedule schedule = housekeeping.every(Duration.ZERO, Duration.ofMillis(10), () -> {
				runs.incrementAndGet();
				running.countDown();
				try {
					new CountDownLatch(1).await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					interrupted.set(true);
				}
			});
			assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(schedule.cancel(Duration.ofSeconds(10))).isTrue();
			assertThat(interrupted).isTrue();
			AtomicInteger other = new AtomicInteger();
			housekeeping.every(Duration.ZERO, Duration.ofMillis(10), other::incrementAndGet);
			await().atMost(Duration.ofSeconds(10)).until(() -> other.get() >= 5);
			assertThat(runs).hasValue(1);
		}
	}

	@Test
	void periodicWorkWithoutASharedSchedulerRunsOnAThreadOfItsOwnAndStops() {
		PeriodicWork work = new PeriodicWork("poolguard-own");
		Set<String> threads = ConcurrentHashMap.newKeySet();
		AtomicInteger runs = new AtomicInteger();
		assertThat(work.start(Duration.ZERO, Duration.ofMillis(10), () -> {
			threads.add(Thread.currentThread().getName());
			runs.incrementAndGet();
		})).isTrue();
		assertThat(work.start(Duration.ZERO, Duration.ofMillis(10), runs::incrementAndGet)).isFalse();
		await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 2);
		work.stop(Duration.ofSeconds(5));
		assertThat(work.isRunning()).isFalse();
		assertThat(threads).containsExactly("poolguard-own");
	}

}
