package io.github.poolguard.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of PoolGuard's runtime types, checked on the compiled main classes: samplers
 * only sample, one assessment combines their readings, consumers read the assessment, and the
 * Spring wiring sits on top of all of them.
 */
class ArchitectureTests {

	private static final String BASE = "io.github.poolguard";

	private static final String WIRING = BASE + ".autoconfigure..";

	private static final String ASSESSMENT = BASE + ".assessment..";

	// the packages whose types read the server, PgBouncer, the pools and the app's latency and hand back readings
	private static final String[] SAMPLERS = { BASE + ".monitor..", BASE + ".pgbouncer..", BASE + ".experience.." };

	// the packages that show a verdict to people and machines
	private static final String[] VERDICT_READERS = { BASE + ".health..", BASE + ".actuate.." };

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(BASE);
	}

	@Test
	void packagesFormNoCycle() {
		ArchRule rule = slices().matching(BASE + ".(*)..").should().beFreeOfCycles();
		rule.check(classes);
	}

	@Test
	void runtimePackagesNeverUseTheWiring() {
		ArchRule rule = noClasses().that()
			.resideOutsideOfPackage(WIRING)
			.should()
			.dependOnClassesThat()
			.resideInAPackage(WIRING)
			.because("runtime types must be usable and testable without PoolGuard's auto-configuration");
		rule.check(classes);
	}

	@Test
	void samplersUseNoAssessmentHealthOrMetricsType() {
		ArchRule rule = noClasses().that()
			.resideInAnyPackage(SAMPLERS)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ASSESSMENT, BASE + ".health..", BASE + ".metrics..", BASE + ".actuate..")
			.because("samplers only sample: verdicts, formatting and meters are made above them");
		rule.check(classes);
	}

	@Test
	void samplersDoNotReadEachOther() {
		for (String sampler : SAMPLERS) {
			ArchRule rule = noClasses().that()
				.resideInAPackage(sampler)
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(others(sampler))
				.because("only the assessment combines readings of different samplers");
			rule.check(classes);
		}
	}

	@Test
	void healthAndEndpointReadOnlyTheAssessment() {
		ArchRule rule = noClasses().that()
			.resideInAnyPackage(VERDICT_READERS)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(SAMPLERS)
			.because("a verdict is made once, in the assessment; health and the endpoint show it and never"
					+ " recompute it from readings");
		rule.check(classes);
	}

	private static String[] others(String sampler) {
		return java.util.Arrays.stream(SAMPLERS).filter((other) -> !other.equals(sampler)).toArray(String[]::new);
	}

}
