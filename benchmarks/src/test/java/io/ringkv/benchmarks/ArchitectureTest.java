package io.ringkv.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The benchmarks use the storage modules' public API and JMH, nothing else. */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.benchmarks");

  @Test
  void dependsOnlyOnTheJdkTheStorageApiTheRingAndJmh() {
    classes().that().resideInAPackage("io.ringkv.benchmarks..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.ringkv.api..", "io.ringkv.storage.spi", "io.ringkv.storage.log",
            "io.ringkv.ring", "io.ringkv.benchmarks..", "org.openjdk.jmh..")
        .check(MAIN);
  }
}
