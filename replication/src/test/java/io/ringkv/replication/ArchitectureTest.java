package io.ringkv.replication;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** replication: never Netty, never Guice, never configuration libraries (CONVENTIONS.md). */
class ArchitectureTest {
  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.replication");

  @Test
  void dependsOnlyOnItsAllowedModules() {
    classes().that().resideInAPackage("io.ringkv.replication..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.ringkv.api..",
            "io.ringkv.versioning..", "io.ringkv.ring..", "io.ringkv.storage.spi..",
            "io.ringkv.replication..", "org.slf4j..",
            "org.apache.commons.codec..")
        .check(classes);
  }

  @Test
  void neverNettyGuiceOrConfiguration() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.netty..",
        "com.google.inject..", "org.apache.commons.configuration2..")
        .check(classes);
  }
}
