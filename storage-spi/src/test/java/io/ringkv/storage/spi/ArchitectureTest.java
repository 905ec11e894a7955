package io.ringkv.storage.spi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** CONVENTIONS.md: storage-spi depends on core-api and the SLF4J API only; engines are not public. */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.storage.spi");

  @Test
  void dependsOnlyOnTheJdkCoreApiAndSlf4j() {
    classes().that().resideInAPackage("io.ringkv.storage.spi..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.ringkv.api..", "org.slf4j..", "io.ringkv.storage.spi..")
        .check(MAIN);
  }

  @Test
  void engineImplementationsArePackagePrivate() {
    classes().that().implement(StorageEngine.class)
        .should().notBePublic()
        .check(MAIN);
  }
}
