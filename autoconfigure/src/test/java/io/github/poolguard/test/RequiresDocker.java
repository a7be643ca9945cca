package io.github.poolguard.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that starts Docker containers. It is skipped, saying why, where no Docker engine
 * answers, except in CI ({@code CI=true}), where it runs and fails: CI provides Docker
 * ({@code .ci/run}), so a missing engine there is a broken build, not a reason to skip.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DockerCondition.class)
public @interface RequiresDocker {

}
