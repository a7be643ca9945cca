package io.github.poolguard.internal.experience;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The CPU stall share is the growth of the pressure-stall {@code total} counters over the window
 * (not the kernel's averages), the largest of the system's, the cgroup's and its throttling; its
 * baseline learns only from windows wholly without a batch; where the files are absent one INFO
 * line says so and the signal is left out.
 */
@ExtendWith(OutputCaptureExtension.class)
class CpuPressureTests {

	@TempDir
	Path directory;

	@Test
	void theReaderReadsTheTotalsOfTheSystemAndOfTheCgroupProcSelfCgroupNames() throws Exception {
		PressureStallFiles files = new PressureStallFiles(this.directory);
		CpuPressureFiles reader = files.reader();
		assertThat(reader.isAvailable()).isTrue();
		assertThat(reader.readsThrottling()).isTrue();
		assertThat(reader.read()).isEqualTo(new CpuPressureFiles.Totals(1_000_000, 500_000, 3, 40_000));
		files.stall(250_000, 100_000);
		files.throttle(2, 30_000);
		assertThat(reader.read()).isEqualTo(new CpuPressureFiles.Totals(1_250_000, 600_000, 5, 70_000));
	}

	@Test
	void withoutTheCgroupsOwnFileTheMountsIsRead() throws Exception {
		// a cgroup namespace shows the container's cgroup at the mount's root
		Files.createDirectories(this.directory.resolve("proc/self"));
		Files.writeString(this.directory.resolve("proc/self/cgroup"), "0::/elsewhere\n");
		Files.createDirectories(this.directory.resolve("sys/fs/cgroup"));
		Files.writeString(this.directory.resolve("sys/fs/cgroup/cpu.pressure"),
				"some avg10=0.00 avg60=0.00 avg300=0.00 total=777\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
		CpuPressureFiles reader = new CpuPressureFiles(this.directory.resolve("proc/pressure/cpu"),
				this.directory.resolve("proc/self/cgroup"), this.directory.resolve("sys/fs/cgroup"));
		assertThat(reader.isAvailable()).isTrue();
		assertThat(reader.readsThrottling()).isFalse();
		assertThat(reader.read()).isEqualTo(new CpuPressureFiles.Totals(-1, 777, -1, -1));
	}

	@Test
	void theStallShareIsTheGrowthOfTheTotalsOverTheWindowAgainstItsShareWithoutABatch() {
		PressureStallFiles files = new PressureStallFiles(this.directory);
		ScriptedJvm jvm = new ScriptedJvm(files.reader());
		assertThat(jvm.sampler().readsCpuPressure()).isTrue();
		// 10 ms of a second stalled without a batch: 1 %, whatever avg10 says
		for (int window = 0; window < AppExperienceSampler.BASELINE_WINDOWS; window++) {
			assertThat(jvm.sampler().getLatest().cpuStalls()).as("no baseline yet").isNull();
			files.stall(10_000, 5_000);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		assertThat(jvm.sampler().getLatest().cpuStalls()).satisfies((cpu) -> {
			assertThat(cpu.recent()).isCloseTo(0.01, within(1e-9));
			assertThat(cpu.baseline()).isCloseTo(0.01, within(1e-9));
			assertThat(cpu.throttledPeriods()).isZero();
			assertThat(cpu.throttled()).isZero();
		});
		// a batch: the cgroup's stalls and its throttling count too, the largest of the three wins
		jvm.batch(true);
		for (int window = 0; window < 5; window++) {
			files.stall(200_000, 300_000);
			files.throttle(4, 100_000);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		assertThat(jvm.sampler().getLatest().cpuStalls()).satisfies((cpu) -> {
			assertThat(cpu.recent()).isCloseTo(0.3, within(1e-9));
			assertThat(cpu.baseline()).as("frozen while the batch runs").isCloseTo(0.01, within(1e-9));
			assertThat(cpu.throttled()).isCloseTo(0.1, within(1e-9));
			assertThat(cpu.throttledPeriods()).isEqualTo(4);
		});
		files.throttle(0, 500_000);
		jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		assertThat(jvm.sampler().getLatest().cpuStalls().recent()).as("throttled half the window")
			.isCloseTo(0.5, within(1e-9));
	}

	@Test
	void theBaselineNeverLearnsAWindowInWhichABatchRan() {
		PressureStallFiles files = new PressureStallFiles(this.directory);
		ScriptedJvm jvm = new ScriptedJvm(files.reader());
		for (int window = 0; window < AppExperienceSampler.BASELINE_WINDOWS; window++) {
			files.stall(10_000, 0);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		jvm.batch(true);
		files.stall(400_000, 0);
		jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		jvm.batch(false);
		// the batch ended during this window: it ran at its start, so it is not a quiet one
		files.stall(400_000, 0);
		jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		assertThat(jvm.sampler().getLatest().cpuStalls().baseline()).isCloseTo(0.01, within(1e-9));
		// the first window wholly without a batch moves it by a fifth of the difference
		files.stall(60_000, 0);
		jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		assertThat(jvm.sampler().getLatest().cpuStalls().baseline()).isCloseTo(0.02, within(1e-9));
	}

	@Test
	void theDetailsShowTheStallShareItsBaselineAndTheThrottling() {
		PressureStallFiles files = new PressureStallFiles(this.directory);
		ScriptedJvm jvm = new ScriptedJvm(files.reader());
		for (int window = 0; window < AppExperienceSampler.BASELINE_WINDOWS; window++) {
			files.stall(20_000, 10_000);
			jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		}
		jvm.batch(true);
		files.stall(150_000, 50_000);
		files.throttle(7, 25_000);
		jvm.window(20, Duration.ofMillis(5), Duration.ZERO);
		assertThat(jvm.sampler().getLatest().toDetails()).containsEntry("cpuPressure", Map.of("recentPercent", 15.0,
				"baselinePercent", 2.0, "throttledPercent", 2.5, "throttledPeriods", 7L));
	}

	@Test
	void withoutTheFilesOneInfoLineSaysSoAndTheSignalIsLeftOut(CapturedOutput output) {
		CpuPressureFiles absent = new CpuPressureFiles(this.directory.resolve("proc/pressure/cpu"),
				this.directory.resolve("proc/self/cgroup"), this.directory.resolve("sys/fs/cgroup"));
		assertThat(absent.isAvailable()).isFalse();
		assertThat(absent.files()).isEmpty();
		AppExperienceSampler sampler = new AppExperienceSampler(List.of(), () -> false, Duration.ofSeconds(1),
				Clock.systemUTC(), () -> 0L, new Ticker()::next, absent);
		assertThat(sampler.readsCpuPressure()).isFalse();
		sampler.applicationReady();
		for (int window = 0; window < 10; window++) {
			sampler.sample();
		}
		assertThat(sampler.getLatest().cpuStalls()).isNull();
		assertThat(sampler.getLatest().toDetails()).doesNotContainKey("cpuPressure");
		assertThat(output.getAll().lines().filter((line) -> line.contains("no CPU pressure-stall information")))
			.singleElement()
			.asString()
			.contains("INFO");
	}

	private static final class Ticker {

		private long nanos;

		long next() {
			this.nanos += 1_000_000_000L;
			return this.nanos;
		}

	}

}
