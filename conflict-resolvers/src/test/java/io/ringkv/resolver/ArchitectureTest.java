package io.ringkv.resolver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.ringkv.resolver", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule DEPENDS_ONLY_ON_THE_JDK_CORE_API_AND_SLF4J = classes()
      .that().resideInAPackage("io.ringkv.resolver..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("java..", "io.ringkv.api..", "org.slf4j..", "io.ringkv.resolver..")
      .because("CONVENTIONS.md: conflict-resolvers depends on core-api and the SLF4J API only");

  @ArchTest
  static final ArchRule A_SMALL_PUBLIC_FACE = classes()
      .that().resideInAPackage("io.ringkv.resolver..").and().arePublic()
      .should().haveSimpleNameEndingWith("BuiltInResolvers")
      .orShould().haveSimpleName("PluginLoader")
      .orShould().haveSimpleName("LoadedPlugin")
      .orShould().haveSimpleName("ResolverRegistry")
      .because("implementations stay package-private behind the factory and the registry");
}
