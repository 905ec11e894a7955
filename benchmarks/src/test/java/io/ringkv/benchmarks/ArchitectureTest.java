package io.ringkv.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks of this package use the public API of the storage, ring and versioning modules
 * and JMH, nothing else ({@code FrameBenchmark} sits in the transport's package for its codec),
 * except the message floor, which needs Netty and ringkv's choice of socket transport
 * ({@code io.ringkv.protocol.NettyTransport}), and the JDK's process CPU time.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.benchmarks");

  @Test
  void dependsOnlyOnTheJdkTheStorageApiTheRingVersioningAndJmh() {
    classes().that().resideInAPackage("io.ringkv.benchmarks..")
        .and().haveNameNotMatching("io\\.ringkv\\.benchmarks\\.MessageFloor.*")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "com.sun.management", "io.ringkv.api..",
            "io.ringkv.storage.spi", "io.ringkv.storage.log", "io.ringkv.ring",
            "io.ringkv.versioning", "io.ringkv.benchmarks..", "org.openjdk.jmh..")
        .check(MAIN);
  }

  @Test
  void theMessageFloorUsesNettyAndTheTransportChoiceButNoRingkvNodeCode() {
    classes().that().haveNameMatching("io\\.ringkv\\.benchmarks\\.MessageFloor.*")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "com.sun.management", "io.netty..", "io.ringkv.protocol",
            "io.ringkv.benchmarks..")
        .check(MAIN);
  }
}
