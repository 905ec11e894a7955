package io.ringkv.examples.numericmax;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.ringkv.examples.numericmax",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule COMPILES_AGAINST_CORE_API_ALONE = classes()
      .that().resideInAPackage("io.ringkv.examples.numericmax..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("java..", "io.ringkv.api..", "io.ringkv.examples.numericmax..")
      .because("a plugin compiles against ringkv-core-api alone (DESIGN.md, Plugins)");
}
