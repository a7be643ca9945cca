package io.github.poolguard.architecture;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.ThrowsDeclaration;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
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

	@Test
	void apiSignaturesNameNoInternalType() {
		ArchRule rule = classes().that()
			.resideInAnyPackage(API_PACKAGES)
			.should(new NameNoInternalTypeInTheirSignatures())
			.because("what an application can call, extend or receive is the API: an internal type in a public"
					+ " signature would make the machinery an API by accident");
		rule.check(classes);
	}

	@Test
	void apiAndInternalPackagesDoNotUseEachOtherBothWays() {
		ArchRule rule = slices().assignedFrom(new PackageSlices())
			.should()
			.beFreeOfCycles()
			.because("the machinery may implement and use its API, but an API type that needs its own"
					+ " implementation back ties the two together: it is one or the other");
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
	 * The types a class's public and protected signatures name, when an application can see them:
	 * its supertypes and type parameters, and its fields, constructors and methods (parameters,
	 * return types, type arguments, type-parameter bounds and thrown exceptions). Record
	 * components are their accessors and canonical constructor.
	 */
	private static final class NameNoInternalTypeInTheirSignatures extends ArchCondition<JavaClass> {

		NameNoInternalTypeInTheirSignatures() {
			super("name no " + INTERNAL + " type in their public or protected signatures");
		}

		@Override
		public void check(JavaClass javaClass, ConditionEvents events) {
			if (!isVisible(javaClass)) {
				return;
			}
			Set<JavaClass> named = new LinkedHashSet<>();
			javaClass.getRawSuperclass().ifPresent(named::add);
			javaClass.getInterfaces().forEach((type) -> named.addAll(type.getAllInvolvedRawTypes()));
			javaClass.getTypeParameters().forEach((type) -> named.addAll(type.getAllInvolvedRawTypes()));
			report(javaClass.getDescription(), named, events, javaClass);
			for (JavaMember member : javaClass.getMembers()) {
				if (!isVisible(member)) {
					continue;
				}
				Set<JavaClass> types = new LinkedHashSet<>();
				if (member instanceof JavaField field) {
					types.addAll(field.getType().getAllInvolvedRawTypes());
				}
				else if (member instanceof JavaCodeUnit codeUnit) {
					codeUnit.getParameterTypes().forEach((type) -> types.addAll(type.getAllInvolvedRawTypes()));
					types.addAll(codeUnit.getReturnType().getAllInvolvedRawTypes());
					codeUnit.getTypeParameters().forEach((type) -> types.addAll(type.getAllInvolvedRawTypes()));
					for (ThrowsDeclaration<? extends JavaCodeUnit> thrown : codeUnit.getThrowsClause()) {
						types.add(thrown.getRawType());
					}
				}
				report(member.getDescription(), types, events, javaClass);
			}
		}

		private static void report(String where, Set<JavaClass> types, ConditionEvents events, JavaClass owner) {
			for (JavaClass type : types) {
				if (type.getPackageName().startsWith(INTERNAL + ".")) {
					events.add(SimpleConditionEvent.violated(owner, where + " names " + type.getName()));
				}
			}
		}

		// public or protected, and so is every class around it; never compiler-made
		private static boolean isVisible(JavaClass javaClass) {
			if (javaClass.isAnonymousClass() || javaClass.isLocalClass()) {
				return false;
			}
			if (!javaClass.getModifiers().contains(JavaModifier.PUBLIC)
					&& !javaClass.getModifiers().contains(JavaModifier.PROTECTED)) {
				return false;
			}
			return javaClass.getEnclosingClass().map(NameNoInternalTypeInTheirSignatures::isVisible).orElse(true);
		}

		private static boolean isVisible(JavaMember member) {
			Set<JavaModifier> modifiers = member.getModifiers();
			return (modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
					&& !modifiers.contains(JavaModifier.SYNTHETIC) && !modifiers.contains(JavaModifier.BRIDGE);
		}

	}

	/**
	 * One slice per package of runtime types, API or internal (the wiring left out, as it uses
	 * both halves by design).
	 */
	private static final class PackageSlices implements SliceAssignment {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String name = javaClass.getPackageName();
			if (!name.startsWith(BASE + ".") || name.startsWith(BASE + ".autoconfigure")) {
				return SliceIdentifier.ignore();
			}
			return SliceIdentifier.of(name.substring(BASE.length() + 1));
		}

		@Override
		public String getDescription() {
			return "packages of " + BASE + " (each API and internal package on its own)";
		}

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
