package io.github.poolguard.autoconfigure;

import io.github.poolguard.internal.fleet.NoShareException;
import io.github.poolguard.test.FailureAnalyses;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start that needed the database where the fleet had no room, as a user reads it.
 */
class NoShareFailureAnalyzerTests {

	@Test
	void aStartThatNeededTheDatabaseWithoutAShareNamesTheArithmeticAndWhatToChange() {
		String arithmetic = "24 available = 24 usable − 0 held by other clients; 4 instances, floor 7 each (app 5 +"
				+ " background 1 + 1 fixed): room for 3, this instance is number 4";
		BeanCreationException failure = new BeanCreationException("entityManagerFactory", "Unable to open JDBC",
				new IllegalStateException("Failed to initialize pool", new NoShareException(arithmetic)));
		FailureAnalysis analysis = FailureAnalyses.analyze(failure);
		assertThat(analysis.getDescription()).contains("has no room for it: " + arithmetic);
		assertThat(analysis.getAction()).contains("max_connections")
			.contains("run fewer instances")
			.contains("poolguard.fleet.min-app-pool");
	}

}
