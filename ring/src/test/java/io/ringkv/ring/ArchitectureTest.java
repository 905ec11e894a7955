package io.ringkv.ring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * CONVENTIONS.md: ring depends on the JDK, core-api, commons-codec (the hash) and the SLF4J API
 * only, and shows a small public face.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.ring");

  @Test
  void dependsOnlyOnTheJdkCoreApiCommonsCodecAndSlf4j() {
    classes().that().resideInAPackage("io.ringkv.ring..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.ringkv.api..", "org.apache.commons.codec..",
            "org.slf4j..", "io.ringkv.ring..")
        .check(MAIN);
  }

  @Test
  void onlyTheApiTypesArePublic() {
    classes().that().resideInAPackage("io.ringkv.ring..").and().arePublic()
        .should().haveNameMatching("io\\.ringkv\\.ring\\.(Ring|Token|PreferenceList|Transfer)")
        .check(MAIN);
  }
}
