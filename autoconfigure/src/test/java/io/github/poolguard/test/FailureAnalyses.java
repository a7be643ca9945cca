package io.github.poolguard.test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

/**
 * Runs a startup failure through the registered failure analyzers, as Spring Boot does, with an
 * environment holding the given properties (Boot's own analyzers read property values from it,
 * so a test sees what a user would see).
 */
public final class FailureAnalyses {

	private FailureAnalyses() {
	}

	/**
	 * Return the analysis the first analyzer able to explain the failure gives.
	 * @param failure the startup failure
	 * @param properties {@code name=value} pairs the application was started with
	 * @return the analysis
	 * @throws AssertionError when no analyzer explains the failure
	 */
	public static FailureAnalysis analyze(Throwable failure, String... properties) {
		MockEnvironment environment = new MockEnvironment();
		for (String property : properties) {
			String[] pair = property.split("=", 2);
			environment.setProperty(pair[0], pair[1]);
		}
		SpringFactoriesLoader.ArgumentResolver arguments = SpringFactoriesLoader.ArgumentResolver.of(Environment.class,
				environment);
		for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, arguments, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}))) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("No failure analyzer explains " + failure);
	}

}
