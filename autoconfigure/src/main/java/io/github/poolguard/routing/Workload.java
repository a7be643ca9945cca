package io.github.poolguard.routing;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The kind of work the current thread is doing, which decides the pool that serves its
 * connections. Threads start as {@link #APP}; code scoped with {@link #run(Runnable)} or
 * {@link #call(Callable)} on {@link #BACKGROUND} borrows from the background pool instead.
 *
 * <p>
 * The workload is bound to the thread for the duration of the scope and restored afterwards,
 * so scopes nest. A connection already borrowed keeps the pool it came from: open transactions
 * inside the scope, not before it.
 *
 * <p>
 * The workload travels with the work to other threads where a task decorator carries it:
 * {@link WorkloadTaskDecorator} on Spring executors, and Micrometer's context propagation
 * ({@link WorkloadThreadLocalAccessor}). Where nothing carries it (the common
 * {@code ForkJoinPool}, parallel streams, a raw {@code new Thread}), wrap the task with
 * {@link #wrap(Runnable)}.
 */
public enum Workload {

	/**
	 * Interactive work: web requests, listeners, anything a user waits for.
	 */
	APP,

	/**
	 * Batch and scheduled work that must not starve the application.
	 */
	BACKGROUND;

	private static final ThreadLocal<Workload> CURRENT = new ThreadLocal<>();

	/**
	 * Return the workload of the calling thread.
	 * @return the current workload, {@link #APP} when none was set
	 */
	public static Workload current() {
		Workload workload = CURRENT.get();
		return (workload != null) ? workload : APP;
	}

	/**
	 * Run the given action with this workload bound to the calling thread.
	 * @param action the action to run
	 */
	public void run(Runnable action) {
		Workload previous = enter();
		try {
			action.run();
		}
		finally {
			restore(previous);
		}
	}

	/**
	 * Call the given action with this workload bound to the calling thread.
	 * @param <T> the result type
	 * @param action the action to call
	 * @return the action's result
	 * @throws Exception whatever the action throws
	 */
	public <T> T call(Callable<T> action) throws Exception {
		Workload previous = enter();
		try {
			return action.call();
		}
		finally {
			restore(previous);
		}
	}

	/**
	 * Get a value with this workload bound to the calling thread, for actions that throw no
	 * checked exception.
	 * @param <T> the result type
	 * @param action the action to call
	 * @return the action's result
	 */
	public <T> T get(Supplier<T> action) {
		Workload previous = enter();
		try {
			return action.get();
		}
		finally {
			restore(previous);
		}
	}

	/**
	 * Wrap a task so that it runs with this workload on whatever thread executes it.
	 * @param task the task
	 * @return the wrapped task
	 */
	public Runnable wrap(Runnable task) {
		return () -> run(task);
	}

	/**
	 * Bind this workload to the calling thread until the returned scope is closed, for work
	 * whose start and end are separate callbacks (a transaction's begin and its commit, a
	 * listener's before and after) and so cannot be wrapped in {@link #run(Runnable)}. Close
	 * the scope on the same thread; scopes nest like {@link #run(Runnable)}.
	 * @return the scope that restores the previous workload when closed
	 */
	public Scope open() {
		Workload previous = enter();
		return () -> restore(previous);
	}

	/**
	 * A workload bound by {@link #open()}; closing it restores the thread's previous workload.
	 */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

	/**
	 * Return the workload bound to the calling thread, if any.
	 * @return the bound workload, or {@code null} when the thread runs as {@link #APP} by default
	 */
	static @Nullable Workload bound() {
		return CURRENT.get();
	}

	/**
	 * Bind a workload to the calling thread, or unbind it.
	 * @param workload the workload, or {@code null} to unbind
	 */
	static void bind(@Nullable Workload workload) {
		restore(workload);
	}

	private @Nullable Workload enter() {
		Workload previous = CURRENT.get();
		CURRENT.set(this);
		return previous;
	}

	private static void restore(@Nullable Workload previous) {
		if (previous == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(previous);
		}
	}

}
