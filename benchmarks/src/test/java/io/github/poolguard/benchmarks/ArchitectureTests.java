package io.github.poolguard.benchmarks;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The benchmarks measure PoolGuard as an application uses it, so they use only PoolGuard's API
 * (README, "Public API"). One exception: {@link ConnectionCycleBenchmark} measures the cost the
 * leak tracker adds to a connection cycle, so it builds the tracker itself and the routing data
 * source PoolGuard decorates with it.
 */
class ArchitectureTests {

	private static final String LEAK_TRACKER = "io.github.poolguard.internal.leak.ConnectionHolders";

	private static final String GOVERNED_ROUTING = "io.github.poolguard.internal.routing.GovernedRoutingDataSource";

	@Test
	void theBenchmarksUseNoInternalTypeButTheLeakTrackerAndItsRouting() {
		ArchRule rule = noClasses().should()
			.dependOnClassesThat(resideInAPackage("io.github.poolguard.internal..").and(not(name(LEAK_TRACKER)))
				.and(not(name(GOVERNED_ROUTING))))
			.because("io.github.poolguard.internal is not an API: a benchmark that needs it measures"
					+ " something no user can run");
		rule.check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.github.poolguard.benchmarks"));
	}

}
