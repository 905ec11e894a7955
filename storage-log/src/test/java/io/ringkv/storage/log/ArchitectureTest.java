package io.ringkv.storage.log;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.ringkv.storage.spi.StorageEngine;
import org.junit.jupiter.api.Test;

/**
 * CONVENTIONS.md: a storage engine depends on storage-spi and core-api only, plus its storage
 * library (Chronicle) and the SLF4J API; its implementation is not public.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.storage.log");

  @Test
  void dependsOnlyOnTheJdkCoreApiStorageSpiChronicleAndSlf4j() {
    classes().that().resideInAPackage("io.ringkv.storage.log..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.ringkv.api..", "io.ringkv.storage.spi..", "io.ringkv.storage.log..",
            "net.openhft..", "org.slf4j..")
        .check(MAIN);
  }

  @Test
  void onlyTheFactoryAndTheStatsArePublic() {
    classes().that().resideInAPackage("io.ringkv.storage.log..")
        .and().arePublic()
        .should().haveSimpleNameStartingWith("LogStorage")
        .andShould().notImplement(StorageEngine.class)
        .check(MAIN);
    classes().that().implement(StorageEngine.class).should().notBePublic().check(MAIN);
  }
}
