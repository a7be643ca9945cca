package io.github.poolguard.routing;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.Ordered;

/**
 * Applies {@link BackgroundWork}: calls to an annotated method, or to a method of an annotated
 * class, run as {@link Workload#BACKGROUND}. Ordered ahead of the transaction advisor (whose
 * default order is {@link Ordered#LOWEST_PRECEDENCE}), so the workload is bound before a
 * transaction borrows its connection.
 */
public final class BackgroundWorkAdvisor extends AbstractPointcutAdvisor {

	/**
	 * The order of this advisor: just ahead of Spring's transaction advisor at its default
	 * order.
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private static final MethodInterceptor INTERCEPTOR = BackgroundWorkAdvisor::invokeAsBackground;

	private final Pointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(BackgroundWork.class, true))
		.union(new AnnotationMatchingPointcut(null, BackgroundWork.class, true));

	/**
	 * Create the advisor.
	 */
	public BackgroundWorkAdvisor() {
		setOrder(ORDER);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return INTERCEPTOR;
	}

	private static @Nullable Object invokeAsBackground(MethodInvocation invocation) throws Throwable {
		Workload previous = Workload.bound();
		Workload.bind(Workload.BACKGROUND);
		try {
			return invocation.proceed();
		}
		finally {
			Workload.bind(previous);
		}
	}

}
