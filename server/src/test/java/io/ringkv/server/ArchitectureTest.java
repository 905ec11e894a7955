package io.ringkv.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * CONVENTIONS.md: Guice lives in server only; server depends on the ringkv modules, the JDK,
 * Guice, picocli and the SLF4J API (Logback is only its runtime backend); the configuration
 * records are plain values.
 */
class ArchitectureTest {
  private static final JavaClasses SERVER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.server");
  /** Every ringkv class on server's test class path: all the modules server depends on. */
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv");

  @Test
  void serverDependsOnlyOnRingkvTheJdkGuicePicocliAndSlf4j() {
    classes().that().resideInAPackage("io.ringkv.server..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.ringkv..", "com.google.inject..", "jakarta.inject..",
            "picocli..", "org.slf4j..", "org.apache.commons.configuration2..", "io.micrometer..",
            "org.HdrHistogram..")
        .check(SERVER);
  }

  @Test
  void guiceIsUsedOnlyInServer() {
    assertThat(ALL.contain("io.ringkv.replication.ReplicaNode")).isTrue();
    assertThat(ALL.contain("io.ringkv.ring.Ring")).isTrue();
    assertThat(ALL.contain("io.ringkv.resolver.ResolverRegistry")).isTrue();
    assertThat(ALL.contain("io.ringkv.storage.spi.StorageEngines")).isTrue();
    assertThat(ALL.contain("io.ringkv.versioning.ContextCodec")).isTrue();
    assertThat(ALL.contain("io.ringkv.api.KvStore")).isTrue();
    assertThat(ALL.contain("io.ringkv.testkit.ManualClock")).isTrue();
    noClasses().that().resideInAPackage("io.ringkv..")
        .and().resideOutsideOfPackage("io.ringkv.server..")
        .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "jakarta.inject..")
        .check(ALL);
  }

  @Test
  void configurationRecordsAreFreeOfGuiceAndPicocli() {
    noClasses().that().resideInAPackage("io.ringkv.server.config..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("com.google.inject..", "jakarta.inject..", "picocli..")
        .check(SERVER);
  }

  @Test
  void noOtherModulesInternalsAreUsed() {
    noClasses().that().resideInAPackage("io.ringkv.server..")
        .should().dependOnClassesThat().resideInAPackage("..internal..")
        .check(SERVER);
  }
}
