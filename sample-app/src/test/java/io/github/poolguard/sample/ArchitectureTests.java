package io.github.poolguard.sample;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The sample shows how an application uses PoolGuard, so it uses only PoolGuard's API (README,
 * "Public API"), never its machinery.
 */
class ArchitectureTests {

	@Test
	void theSampleUsesNoInternalType() {
		ArchRule rule = noClasses().should()
			.dependOnClassesThat()
			.resideInAPackage("io.github.poolguard.internal..")
			.because("io.github.poolguard.internal is not an API: what the sample needs, a user needs too");
		rule.check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.github.poolguard.sample"));
	}

}
