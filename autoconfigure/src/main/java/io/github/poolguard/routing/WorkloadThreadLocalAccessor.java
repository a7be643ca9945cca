package io.github.poolguard.routing;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Registers the {@link Workload} with Micrometer's context propagation, so that
 * {@code ContextSnapshot}, Spring's {@code ContextPropagatingTaskDecorator} and Reactor carry it
 * across threads. Registered through {@code META-INF/services}; used only when the
 * context-propagation library is on the class path.
 */
public final class WorkloadThreadLocalAccessor implements ThreadLocalAccessor<Workload> {

	/**
	 * The key of the workload in a context snapshot.
	 */
	public static final String KEY = "poolguard.workload";

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable Workload getValue() {
		return Workload.bound();
	}

	@Override
	public void setValue(Workload value) {
		Workload.bind(value);
	}

	@Override
	public void setValue() {
		Workload.bind(null);
	}

}
