package io.github.poolguard.internal.springbatch;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.poolguard.actuate.BatchRunDescriptor;
import io.github.poolguard.actuate.BatchRuns;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Remembers the Spring Batch step executions running now and the last few that ended, and
 * describes them for {@code /actuator/poolguard} next to the executor's runs: the run is named
 * after the job, and shows the step, the items read and written and the state. Answers from
 * memory: the counts are the ones Spring Batch keeps on the execution as its chunks commit.
 */
public final class StepExecutions implements StepExecutionListener, BatchRuns {

	private static final int RECENT = 10;

	private final Set<StepExecution> running = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

	private final Deque<StepExecution> recent = new ArrayDeque<>();

	private final ChunkGate gate;

	/**
	 * Create the registry.
	 * @param gate the chunk gate, whose yielding shows as the state {@code YIELDING}
	 */
	public StepExecutions(ChunkGate gate) {
		this.gate = gate;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.running.add(stepExecution);
	}

	@Override
	public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
		this.running.remove(stepExecution);
		synchronized (this.recent) {
			this.recent.addFirst(stepExecution);
			while (this.recent.size() > RECENT) {
				this.recent.removeLast();
			}
		}
		return null;
	}

	/**
	 * Return the step executions running now of the job with the given name.
	 * @param jobName the job's name
	 * @return the running step executions, possibly none
	 */
	public List<StepExecution> findRunning(String jobName) {
		synchronized (this.running) {
			return this.running.stream().filter((execution) -> jobName.equals(jobName(execution))).toList();
		}
	}

	@Override
	public boolean isRunning() {
		return !this.running.isEmpty();
	}

	@Override
	public List<BatchRunDescriptor> getBatchRuns() {
		List<BatchRunDescriptor> runs = new ArrayList<>();
		synchronized (this.running) {
			this.running.forEach((execution) -> runs.add(describe(execution, true)));
		}
		synchronized (this.recent) {
			this.recent.forEach((execution) -> runs.add(describe(execution, false)));
		}
		return runs;
	}

	/**
	 * Describe one step execution.
	 * @param execution the step execution
	 * @param running whether it is running now
	 * @return its descriptor
	 */
	BatchRunDescriptor describe(StepExecution execution, boolean running) {
		return describe(execution, state(execution, running));
	}

	/**
	 * Describe one step execution in the given state.
	 * @param execution the step execution
	 * @param state the state to show
	 * @return its descriptor
	 */
	BatchRunDescriptor describe(StepExecution execution, String state) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("job", jobName(execution));
		details.put("step", execution.getStepName());
		details.put("jobExecutionId", execution.getJobExecutionId());
		details.put("read", execution.getReadCount());
		details.put("written", execution.getWriteCount());
		details.put("commits", execution.getCommitCount());
		details.put("rollbacks", execution.getRollbackCount());
		return new BatchRunDescriptor(jobName(execution), state, execution.getWriteCount(), -1,
				execution.getSkipCount(), 0, rate(execution), null, this.gate.getPermits(), details);
	}

	private String state(StepExecution execution, boolean running) {
		BatchStatus status = execution.getStatus();
		if (running && status == BatchStatus.STARTED) {
			return this.gate.isYielding() ? "YIELDING" : "RUNNING";
		}
		return status.name();
	}

	private static double rate(StepExecution execution) {
		LocalDateTime start = execution.getStartTime();
		if (start == null) {
			return 0;
		}
		LocalDateTime end = execution.getEndTime();
		long millis = Duration.between(start, (end != null) ? end : LocalDateTime.now()).toMillis();
		return (millis > 0) ? execution.getWriteCount() * 1000.0 / millis : 0;
	}

	private static String jobName(StepExecution execution) {
		return execution.getJobExecution().getJobInstance().getJobName();
	}

}
