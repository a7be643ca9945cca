package io.github.poolguard.routing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method, or every public method of the annotated class, as
 * {@link Workload#BACKGROUND}: its connections come from the background pool. Applied by a
 * Spring AOP advisor ordered before the transaction interceptor, so a {@code @Transactional}
 * method annotated with it opens its transaction on a background connection. Like
 * {@code @Transactional}, it applies to calls through the Spring proxy, not to calls from
 * within the same object.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface BackgroundWork {

}
