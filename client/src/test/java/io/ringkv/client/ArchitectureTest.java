package io.ringkv.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md: the client uses core-api, ring, the wire schema (protocol) and Netty, nothing else. */
class ArchitectureTest {
  private static final JavaClasses CLIENT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.client");

  @Test
  void theClientDependsOnlyOnWhatDesignMdAllows() {
    classes().that().resideInAPackage("io.ringkv.client..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.netty..",
            "com.google.protobuf..", "io.ringkv.api..", "io.ringkv.ring..",
            "io.ringkv.protocol..", "io.ringkv.client..")
        .check(CLIENT);
  }
}
