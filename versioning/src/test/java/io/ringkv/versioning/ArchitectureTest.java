package io.ringkv.versioning;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** CONVENTIONS.md, dependency rules: versioning sees the JDK, core-api and the SLF4J API only. */
@AnalyzeClasses(packages = "io.ringkv.versioning", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule dependsOnlyOnTheJdkCoreApiAndSlf4j = classes()
      .that().resideInAPackage("io.ringkv.versioning..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("java..", "io.ringkv.api..", "io.ringkv.versioning..", "org.slf4j..")
      .because("versioning is a library other projects take alone (CONVENTIONS.md)");
}
