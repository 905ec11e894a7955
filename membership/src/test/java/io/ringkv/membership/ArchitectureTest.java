package io.ringkv.membership;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * CONVENTIONS.md: membership depends on the JDK, core-api, ring and the SLF4J API only (never
 * Netty, Guice or a configuration library), and shows a small public face.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.membership");

  @Test
  void dependsOnlyOnTheJdkCoreApiRingAndSlf4j() {
    classes().that().resideInAPackage("io.ringkv.membership..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.ringkv.api..", "io.ringkv.ring..", "org.slf4j..",
            "io.ringkv.membership..")
        .check(MAIN);
  }

  @Test
  void onlyTheApiTypesArePublic() {
    classes().that().resideInAPackage("io.ringkv.membership..").and().arePublic()
        .should().haveNameMatching("io\\.ringkv\\.membership\\.(Member|Member\\$Status|"
            + "ClusterState|ClusterStateCodec|HostPort|GossipTransport|"
            + "PhiAccrualFailureDetector|Membership|Membership\\$Builder)")
        .check(MAIN);
  }
}
