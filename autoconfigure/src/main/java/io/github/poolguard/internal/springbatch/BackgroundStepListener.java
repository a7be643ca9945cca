package io.github.poolguard.internal.springbatch;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.core.Ordered;

/**
 * Runs a step execution's own thread as {@link Workload#BACKGROUND} from its first listener to
 * its last, so what the step does outside its chunks (opening and closing its readers and
 * writers, other listeners, the step's job repository updates) uses the background pool whoever
 * launched the job, and tells the {@link ChunkGate} which thread the step runs on, so that what
 * that thread holds outside the chunks (a cursor reader's connection) counts against the
 * permits. It orders itself first, so its scope opens before and closes after every other
 * listener.
 *
 * <p>
 * A listener whose {@code afterStep} throws stops Spring Batch's composite listener before this
 * one, which runs last: registered as one of the step's streams too, it ends the step in
 * {@link #close()} then, which Spring Batch calls on the step's thread after every listener
 * whatever they threw. Otherwise the launching thread would stay background work.
 */
final class BackgroundStepListener implements StepExecutionListener, ItemStream, Ordered {

	private final ChunkGate gate;

	// a worker step of a partitioned step runs several executions at once, one per thread
	private final Map<StepExecution, Workload.Scope> scopes = Collections.synchronizedMap(new IdentityHashMap<>());

	BackgroundStepListener(ChunkGate gate) {
		this.gate = gate;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.scopes.put(stepExecution, Workload.BACKGROUND.open());
		this.gate.stepStarted(stepExecution);
	}

	@Override
	public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
		end(stepExecution);
		return null;
	}

	/**
	 * End the step execution of the calling thread unless {@link #afterStep} did: the streams
	 * close after the listeners, whatever they threw.
	 */
	@Override
	public void close() {
		StepContext context = StepSynchronizationManager.getContext();
		if (context != null) {
			end(context.getStepExecution());
		}
	}

	private void end(StepExecution stepExecution) {
		Workload.Scope scope = this.scopes.remove(stepExecution);
		if (scope != null) {
			try {
				this.gate.stepEnded(stepExecution);
			}
			finally {
				scope.close();
			}
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
