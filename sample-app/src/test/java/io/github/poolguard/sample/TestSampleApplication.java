package io.github.poolguard.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample on a PostgreSQL container: {@code ./mvnw -pl sample-app -am spring-boot:test-run}.
 */
public final class TestSampleApplication {

	private TestSampleApplication() {
	}

	public static void main(String[] args) {
		// SampleApplication.main would start its embedded server first; the container replaces it.
		SpringApplication.from((String[] mainArgs) -> SpringApplication.run(SampleApplication.class, mainArgs))
			.with(TestcontainersConfiguration.class)
			.run(args);
	}

}
