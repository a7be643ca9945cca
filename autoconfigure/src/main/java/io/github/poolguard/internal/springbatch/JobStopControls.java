package io.github.poolguard.internal.springbatch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.poolguard.actuate.BatchRunAction;
import io.github.poolguard.actuate.BatchRunControls;
import io.github.poolguard.actuate.BatchRunDescriptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;

/**
 * Maps {@code /actuator/poolguard}'s pause and cancel of a running Spring Batch job to Spring
 * Batch's own {@link JobOperator#stop(long)}: the job ends {@code STOPPED} after the chunks in
 * flight commit, and {@code JobOperator.restart} continues it from the last committed chunk, as
 * with any stopped job. Resume and concurrency are refused with the reason: a stopped job
 * resumes through a restart (a new job execution), and the chunk gate, not the endpoint, bounds
 * a step's concurrency.
 */
public final class JobStopControls implements BatchRunControls {

	private static final Log logger = LogFactory.getLog(JobStopControls.class);

	private final StepExecutions executions;

	private final JobOperator jobOperator;

	/**
	 * Create the controls.
	 * @param executions the running step executions
	 * @param jobOperator stops the jobs
	 */
	public JobStopControls(StepExecutions executions, JobOperator jobOperator) {
		this.executions = executions;
		this.jobOperator = jobOperator;
	}

	@Override
	public @Nullable BatchRunDescriptor apply(String name, BatchRunAction action, @Nullable Integer concurrency,
			String actor) {
		List<StepExecution> running = this.executions.findRunning(name);
		if (running.isEmpty()) {
			return null;
		}
		switch (action) {
			case PAUSE, CANCEL -> {
				stop(running, action, actor);
				return this.executions.describe(running.get(0), "STOPPING");
			}
			case RESUME -> throw new IllegalArgumentException("Spring Batch job '" + name
					+ "' is running; a job stopped through pause or cancel resumes with JobOperator.restart, which"
					+ " continues it from its last committed chunk");
			case CONCURRENCY -> throw new IllegalArgumentException("Spring Batch job '" + name
					+ "' takes no concurrency here: its chunks are bounded by the background pool's size"
					+ " (poolguard.background.hikari.maximum-pool-size)");
		}
		return this.executions.describe(running.get(0), true);
	}

	// The running job's own JobExecution, not one loaded by id: Spring Batch's stop writes the
	// step executions it holds, and a copy loaded while chunks commit carries a stale version
	// (OptimisticLockingFailureException).
	private void stop(List<StepExecution> running, BatchRunAction action, String actor) {
		Map<Long, JobExecution> jobExecutions = new LinkedHashMap<>();
		running.forEach((execution) -> jobExecutions.putIfAbsent(execution.getJobExecutionId(),
				execution.getJobExecution()));
		for (JobExecution execution : jobExecutions.values()) {
			try {
				this.jobOperator.stop(execution);
				logger.info("Spring Batch job '" + execution.getJobInstance().getJobName() + "' (execution "
						+ execution.getId() + ") stopping on " + action.name().toLowerCase(Locale.ROOT) + " by "
						+ actor + "; JobOperator.restart continues it from its last committed chunk");
			}
			catch (JobExecutionNotRunningException ex) {
				// it ended between the look-up and the stop: nothing left to stop
			}
		}
	}

}
