package io.github.poolguard.architecture;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of PoolGuard's runtime types, checked on the compiled main classes: samplers
 * only sample, one assessment combines their readings, consumers read the assessment, and the
 * Spring wiring sits on top of all of them. A concern's public API lives in
 * {@code io.github.poolguard.<concern>} and its machinery in
 * {@code io.github.poolguard.internal.<concern>}; the two halves are one layer, so every rule
 * names both.
 */
class ArchitectureTests {

	private static final String BASE = "io.github.poolguard";

	private static final String INTERNAL = BASE + ".internal";

	private static final String WIRING = BASE + ".autoconfigure..";

	private static final String[] ASSESSMENT = layer("assessment");

	// the packages whose types read the server, PgBouncer and the app's latency and hand back readings, by sampler
	private static final Map<String, String[]> SAMPLERS = Map.of("monitor", layer("monitor"), "pgbouncer",
			layer("pgbouncer"), "experience", layer("experience"));

	// the packages that show a verdict to people and machines
	private static final String[] VERDICT_READERS = concat(layer("health"), layer("actuate"));

	// the packages whose public types are PoolGuard's API (README, "Public API")
	private static final String[] API_PACKAGES = Stream
		.of("actuate", "assessment", "batch", "experience", "health", "monitor", "pgbouncer", "pressure", "routing")
		.map((concern) -> BASE + "." + concern)
		.toArray(String[]::new);

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(BASE);
	}

	@Test
	void packagesFormNoCycle() {
		ArchRule rule = slices().assignedFrom(new ConcernSlices()).should().beFreeOfCycles();
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
			.resideInAnyPackage(concat(SAMPLERS.values().toArray(String[][]::new)))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(ASSESSMENT, layer("health"), layer("metrics"), layer("actuate")))
			.because("samplers only sample: verdicts, formatting and meters are made above them");
		rule.check(classes);
	}

	@Test
	void samplersDoNotReadEachOther() {
		for (Map.Entry<String, String[]> sampler : SAMPLERS.entrySet()) {
			String[] others = concat(SAMPLERS.entrySet()
				.stream()
				.filter((other) -> !other.getKey().equals(sampler.getKey()))
				.map(Map.Entry::getValue)
				.toArray(String[][]::new));
			ArchRule rule = noClasses().that()
				.resideInAnyPackage(sampler.getValue())
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(others)
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
			.resideInAnyPackage(concat(SAMPLERS.values().toArray(String[][]::new)))
			.because("a verdict is made once, in the assessment; health and the endpoint show it and never"
					+ " recompute it from readings");
		rule.check(classes);
	}

	@Test
	void publicTypesAreTheApiTheInternalsOrTheWiring() {
		ArchRule rule = classes().that()
			.arePublic()
			.and()
			.areTopLevelClasses()
			.and()
			.resideOutsideOfPackages(INTERNAL + "..", WIRING)
			.should()
			.resideInAnyPackage(API_PACKAGES)
			.because("a user tells the API from the machinery by the package: what is not meant for them is"
					+ " package-private or lives under " + INTERNAL);
		rule.check(classes);
	}

	// a concern's API package and its internal package
	private static String[] layer(String concern) {
		return new String[] { BASE + "." + concern + "..", INTERNAL + "." + concern + ".." };
	}

	private static String[] concat(String[]... packages) {
		return Arrays.stream(packages).flatMap(Arrays::stream).toArray(String[]::new);
	}

	/**
	 * One slice per concern, its API and internal packages together: they were one package before
	 * the internals moved, and a cycle between two concerns is a cycle whichever half it runs
	 * through.
	 */
	private static final class ConcernSlices implements SliceAssignment {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String name = javaClass.getPackageName();
			if (!name.startsWith(BASE + ".")) {
				return SliceIdentifier.ignore();
			}
			String rest = name.substring(BASE.length() + 1);
			if (rest.startsWith("internal.")) {
				rest = rest.substring("internal.".length());
			}
			int dot = rest.indexOf('.');
			return SliceIdentifier.of((dot < 0) ? rest : rest.substring(0, dot));
		}

		@Override
		public String getDescription() {
			return "concerns of " + BASE + " (API and internal package together)";
		}

	}

}
