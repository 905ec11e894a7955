package io.ringkv.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The wire schema is what a node and every client share, so it needs no more than the vocabulary,
 * protobuf and Netty's codec base: a client that uses it pulls in nothing of a node.
 */
class ArchitectureTest {
  private static final JavaClasses PROTOCOL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv.protocol");

  @Test
  void theSchemaNeedsOnlyTheVocabularyProtobufAndNetty() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.netty..",
        "com.google.protobuf..", "io.ringkv.api..", "io.ringkv.protocol..").check(PROTOCOL);
  }
}
