package io.github.poolguard.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Evaluates {@link RequiresDocker}.
 */
final class DockerCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			return ConditionEvaluationResult.enabled("CI=true: Docker is required");
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			return ConditionEvaluationResult.enabled("Docker is available");
		}
		return ConditionEvaluationResult.disabled("No Docker engine answers (see DOCKER_HOST); install and start"
				+ " Docker, or run .ci/run as root on Debian, which installs it and builds the PostgreSQL image");
	}

}
