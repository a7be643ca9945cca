package io.github.poolguard.internal.springbatch;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import io.github.poolguard.routing.Workload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.Advised;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.item.ChunkOrientedStep;
import org.springframework.batch.core.step.tasklet.TaskletStep;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ReflectionUtils;

/**
 * Makes one Spring Batch step background work: its chunk transactions go through a
 * {@link BackgroundChunkTransactionManager} and its own thread runs as
 * {@link Workload#BACKGROUND}, and its executions are tracked for the endpoint. Both step kinds
 * that run chunks are covered: {@link TaskletStep} (the {@code chunk(size, transactionManager)}
 * builder, whose {@code taskExecutor} runs whole chunks concurrently) and Spring Batch 6's
 * {@link ChunkOrientedStep} (whose {@code taskExecutor} processes items concurrently inside one
 * chunk; those tasks run as background work too). A step is governed once, however many times it
 * is found (as a bean and inside its job).
 */
public final class StepGovernor {

	private static final Log logger = LogFactory.getLog(StepGovernor.class);

	private final ChunkGate gate;

	private final StepExecutions executions;

	private final BackgroundStepListener listener;

	private final Set<Step> governed = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	/**
	 * Create a governor.
	 * @param gate the application's chunk gate
	 * @param executions tracks the step executions for the endpoint
	 */
	public StepGovernor(ChunkGate gate, StepExecutions executions) {
		this.gate = gate;
		this.executions = executions;
		this.listener = new BackgroundStepListener(gate);
	}

	/**
	 * Govern a step, unless it is governed already.
	 * @param candidate the step, or a proxy of it
	 */
	public void govern(Step candidate) {
		Step step = target(candidate);
		if (step == null || !this.governed.add(step)) {
			return;
		}
		if (!(step instanceof AbstractStep abstractStep)) {
			logger.warn("PoolGuard: Spring Batch step '" + step.getName() + "' (" + step.getClass().getName()
					+ ") is not an AbstractStep, so its work does not run as background work on its own; wrap it"
					+ " with Workload.BACKGROUND.run(...)");
			return;
		}
		abstractStep.registerStepExecutionListener(this.listener);
		abstractStep.registerStepExecutionListener(this.executions);
		if (step instanceof TaskletStep taskletStep) {
			taskletStep.registerStream(this.listener);
			// the step builds a TransactionTemplate from this field for every chunk
			PlatformTransactionManager manager = read(TaskletStep.class, "transactionManager", taskletStep);
			if (manager != null) {
				taskletStep.setTransactionManager(govern(manager, step.getName()));
			}
		}
		else if (step instanceof ChunkOrientedStep<?, ?> chunkStep) {
			governChunkOriented(chunkStep);
		}
	}

	// the builder already ran afterPropertiesSet, which built the TransactionTemplate the
	// chunks use: the template itself gets the governed manager
	private void governChunkOriented(ChunkOrientedStep<?, ?> step) {
		step.registerItemStream(this.listener);
		TransactionTemplate template = read(ChunkOrientedStep.class, "transactionTemplate", step);
		PlatformTransactionManager manager = (template != null) ? template.getTransactionManager() : null;
		if (template == null || manager == null) {
			logger.warn("PoolGuard: Spring Batch step '" + step.getName() + "' has no transaction template PoolGuard"
					+ " recognises (a Spring Batch version it was not built for?), so its chunks are not bounded by"
					+ " the background pool's size; its thread still runs as background work");
			return;
		}
		PlatformTransactionManager governed = govern(manager, step.getName());
		template.setTransactionManager(governed);
		step.setTransactionManager(governed);
		AsyncTaskExecutor taskExecutor = read(ChunkOrientedStep.class, "taskExecutor", step);
		if (taskExecutor != null) {
			TaskExecutorAdapter background = new TaskExecutorAdapter(taskExecutor);
			background.setTaskDecorator(Workload.BACKGROUND::wrap);
			step.setTaskExecutor(background);
		}
	}

	// A proxied step is governed through its target. A scoped proxy (@StepScope, @JobScope) has
	// no target outside its scope: the target bean itself is governed when its scope creates it.
	private static @Nullable Step target(Step step) {
		if (!(step instanceof Advised advised)) {
			return step;
		}
		TargetSource source = advised.getTargetSource();
		if (!source.isStatic()) {
			return null;
		}
		try {
			return (source.getTarget() instanceof Step target) ? target : step;
		}
		catch (Exception ex) {
			throw new IllegalStateException("PoolGuard could not reach the target of Spring Batch step proxy " + step,
					ex);
		}
	}

	private PlatformTransactionManager govern(PlatformTransactionManager manager, String step) {
		if (manager instanceof BackgroundChunkTransactionManager) {
			return manager;
		}
		return new BackgroundChunkTransactionManager(manager, this.gate, step);
	}

	@SuppressWarnings("unchecked")
	private static <T> @Nullable T read(Class<?> type, String name, Object target) {
		Field field = ReflectionUtils.findField(type, name);
		if (field == null) {
			return null;
		}
		ReflectionUtils.makeAccessible(field);
		return (T) ReflectionUtils.getField(field, target);
	}

	/**
	 * Return the chunk gate.
	 * @return the gate
	 */
	public ChunkGate getGate() {
		return this.gate;
	}

	/**
	 * Return the step executions this governor tracks.
	 * @return the registry
	 */
	public StepExecutions getExecutions() {
		return this.executions;
	}

}
