package io.ringkv.transport.netty;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.ringkv.transport.netty.http.ClusterView;
import io.ringkv.transport.netty.http.HintView;
import io.ringkv.transport.netty.http.HttpApiServer;
import io.ringkv.transport.netty.http.HttpSettings;
import io.ringkv.transport.netty.http.MemberView;
import io.ringkv.transport.netty.http.RingView;
import io.ringkv.transport.netty.peer.NettyReplicaNetwork;
import io.ringkv.transport.netty.peer.NettyReplicaServer;
import io.ringkv.transport.netty.peer.TransportSettings;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * CONVENTIONS.md: transport-netty holds all Netty code and may use Netty, protobuf, Micrometer,
 * Jackson's streaming core (the HTTP API's JSON), the JDK, the ringkv modules it serves (core-api,
 * replication-api, versioning, ring, protocol) and the SLF4J API; its generated wire classes
 * ({@code ..internal..}) are not used from outside it; its public face is a short list of types.
 */
class ArchitectureTest {
  private static final String MODULE = "io.ringkv.transport.netty";
  private static final JavaClasses TRANSPORT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(MODULE);
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.ringkv");

  @Test
  void transportDependsOnlyOnWhatItMay() {
    assertThat(TRANSPORT.contain(MODULE + ".peer.NettyReplicaNetwork")).isTrue();
    assertThat(TRANSPORT.contain(MODULE + ".internal.proto.Envelope")).isTrue();
    classes().that().resideInAPackage(MODULE + "..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.netty..",
            "com.google.protobuf..", "com.fasterxml.jackson..", "io.micrometer..",
            "io.ringkv.api..", "io.ringkv.replication.api..", "io.ringkv.versioning..",
            "io.ringkv.ring..", "io.ringkv.protocol..", "org.slf4j..", MODULE + "..")
        .check(TRANSPORT);
  }

  /** The coordinator is not needed to carry its messages: only replication-api is. */
  @Test
  void noCoordinatorClassIsUsed() {
    noClasses().that().resideInAPackage(MODULE + "..")
        .should().dependOnClassesThat().resideInAPackage("io.ringkv.replication")
        .check(TRANSPORT);
  }

  @Test
  void theWireClassesAreNotUsedFromOutside() {
    assertThat(ALL.contain("io.ringkv.replication.ReplicaNode")).isTrue();
    noClasses().that().resideOutsideOfPackage(MODULE + "..")
        .should().dependOnClassesThat().resideInAPackage(MODULE + ".internal..")
        .check(ALL);
  }

  /** Public, and so is every class it is nested in. */
  private static boolean visibleFromOutside(JavaClass c) {
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void thePublicFaceIsSmall() {
    Set<String> publicTypes = TRANSPORT.stream()
        .filter(c -> !c.getPackageName().contains(".internal"))
        .filter(ArchitectureTest::visibleFromOutside)
        .map(JavaClass::getName)
        .map(n -> n.substring(MODULE.length() + 1))
        .collect(Collectors.toSet());
    assertThat(publicTypes).containsExactlyInAnyOrder(
        "EventLoops", "NettyRuntime",
        "peer.NettyReplicaNetwork", "peer.NettyReplicaNetwork$Builder",
        "peer.NettyReplicaServer", "peer.NettyReplicaServer$Builder", "peer.TransportSettings",
        "http.HttpApiServer", "http.HttpApiServer$Builder", "http.HttpSettings",
        "http.ClusterView", "http.MemberView", "http.MemberView$Hints", "http.RingView",
        "http.HintView", "http.MemberView$Exchange", "http.PlanView", "http.PlanView$Move",
        "http.HandoffView",
        "client.ClientProtocolServer", "client.ClientProtocolServer$Builder",
        "client.ClientSettings", "client.ClientView", "client.ClientView$Node",
        "client.ClientView$RingInfo");
  }

  /**
   * The HTTP API, the peer transport and the client protocol are separate packages that never use
   * each other (what they share lives in the base package and in {@code internal}).
   */
  @Test
  void theProtocolsAreIndependent() {
    String[] protocols = {".http..", ".peer..", ".client.."};
    for (String a : protocols) {
      for (String b : protocols) {
        if (!a.equals(b)) {
          noClasses().that().resideInAPackage(MODULE + a)
              .should().dependOnClassesThat().resideInAPackage(MODULE + b).check(TRANSPORT);
        }
      }
    }
  }

}
