package io.ringkv.replication.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** replication-api: the peer vocabulary, on the JDK and core-api alone, so a transport needs no coordinator. */
class ArchitectureTest {
  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.replication.api");

  @Test
  void dependsOnlyOnTheJdkAndCoreApi() {
    classes().that().resideInAPackage("io.ringkv.replication.api..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.ringkv.api..",
            "io.ringkv.replication.api..")
        .check(classes);
  }
}
