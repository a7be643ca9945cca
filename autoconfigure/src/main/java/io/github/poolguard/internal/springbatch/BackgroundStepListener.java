package io.github.poolguard.internal.springbatch;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.Ordered;

/**
 * Runs a step execution's own thread as {@link Workload#BACKGROUND} from its first listener to
 * its last, so what the step does outside its chunks (opening and closing its readers and
 * writers, other listeners, the step's job repository updates) uses the background pool whoever
 * launched the job. It orders itself first, so its scope opens before and closes after every
 * other listener.
 */
final class BackgroundStepListener implements StepExecutionListener, Ordered {

	// a worker step of a partitioned step runs several executions at once, one per thread
	private final Map<StepExecution, Workload.Scope> scopes = Collections.synchronizedMap(new IdentityHashMap<>());

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.scopes.put(stepExecution, Workload.BACKGROUND.open());
	}

	@Override
	public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
		Workload.Scope scope = this.scopes.remove(stepExecution);
		if (scope != null) {
			scope.close();
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
