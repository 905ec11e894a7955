package io.ringkv.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks of this package use the public API of the storage, ring and versioning modules
 * and JMH, nothing else ({@code FrameBenchmark} sits in the transport's package for its codec).
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.benchmarks");

  @Test
  void dependsOnlyOnTheJdkTheStorageApiTheRingVersioningAndJmh() {
    classes().that().resideInAPackage("io.ringkv.benchmarks..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.ringkv.api..", "io.ringkv.storage.spi", "io.ringkv.storage.log",
            "io.ringkv.ring", "io.ringkv.versioning", "io.ringkv.benchmarks..", "org.openjdk.jmh..")
        .check(MAIN);
  }
}
