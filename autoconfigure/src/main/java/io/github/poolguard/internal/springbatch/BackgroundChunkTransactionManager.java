package io.github.poolguard.internal.springbatch;

import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;

import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionStatus;

/**
 * The transaction manager a governed step's chunks use: the step's own, with the chunk's
 * transaction begun as {@link Workload#BACKGROUND} after the {@link ChunkGate} let it through.
 * The workload is bound before the delegate begins, because a {@code DataSourceTransactionManager}
 * (or JPA's) borrows the connection right there, before any listener or item code runs; it is
 * bound on the thread that runs the chunk, so it holds on whatever executor the step uses. A
 * transaction begun inside the chunk (the job repository joining it, a nested one) is part of the
 * chunk and takes no second permit.
 */
final class BackgroundChunkTransactionManager implements PlatformTransactionManager {

	private final PlatformTransactionManager delegate;

	private final ChunkGate gate;

	private final String step;

	private final ThreadLocal<Chunk> current = new ThreadLocal<>();

	/**
	 * Govern a step's transaction manager.
	 * @param delegate the step's transaction manager
	 * @param gate the application's chunk gate
	 * @param step the step's name
	 */
	public BackgroundChunkTransactionManager(PlatformTransactionManager delegate, ChunkGate gate, String step) {
		this.delegate = delegate;
		this.gate = gate;
		this.step = step;
	}

	/**
	 * Return the step's own transaction manager.
	 * @return the delegate
	 */
	public PlatformTransactionManager getDelegate() {
		return this.delegate;
	}

	@Override
	public TransactionStatus getTransaction(@Nullable TransactionDefinition definition) throws TransactionException {
		Chunk chunk = this.current.get();
		if (chunk == null) {
			chunk = begin();
		}
		else {
			chunk.depth++;
		}
		try {
			return this.delegate.getTransaction(definition);
		}
		catch (RuntimeException | Error ex) {
			ended();
			throw ex;
		}
	}

	private Chunk begin() {
		ChunkGate.Permit permit;
		try {
			// the step execution, so that what the step's own thread holds (its reader's
			// connection) counts even when the chunk runs on another thread
			StepContext context = StepSynchronizationManager.getContext();
			permit = this.gate.enter(this.step, (context != null) ? context.getStepExecution() : null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CannotCreateTransactionException(
					this.step + ": interrupted while the chunk waited for a background connection", ex);
		}
		Chunk chunk = new Chunk(Workload.BACKGROUND.open(), permit);
		this.current.set(chunk);
		return chunk;
	}

	@Override
	public void commit(TransactionStatus status) throws TransactionException {
		try {
			this.delegate.commit(status);
		}
		finally {
			ended();
		}
	}

	@Override
	public void rollback(TransactionStatus status) throws TransactionException {
		try {
			this.delegate.rollback(status);
		}
		finally {
			ended();
		}
	}

	private void ended() {
		Chunk chunk = this.current.get();
		if (chunk == null || --chunk.depth > 0) {
			return;
		}
		this.current.remove();
		chunk.scope.close();
		chunk.permit.close();
	}

	/**
	 * The chunk a thread is running: its workload scope and how many transactions are open in
	 * it.
	 */
	private static final class Chunk {

		private final Workload.Scope scope;

		private final ChunkGate.Permit permit;

		private int depth = 1;

		Chunk(Workload.Scope scope, ChunkGate.Permit permit) {
			this.scope = scope;
			this.permit = permit;
		}

	}

}
