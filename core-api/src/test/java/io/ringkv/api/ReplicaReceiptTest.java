package io.ringkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The write receipt's wire form, and the request options and quorum errors that go with it. */
class ReplicaReceiptTest {
  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N3 = NodeId.of("n3");
  private static final NodeId N4 = NodeId.of("n4");

  @Test
  void receiptsReadAsTheHeaderWritesThem() {
    List<ReplicaReceipt> r = List.of(ReplicaReceipt.primary(N1), ReplicaReceipt.fallback(N4, N3),
        ReplicaReceipt.hint(N1, N3));
    PutResult put = new PutResult(Context.EMPTY, r);
    assertThat(put.receipt()).isEqualTo("n1=primary,n4=fallback(n3),n1=hint(n3)");
    assertThat(PutResult.parseReceipt(put.receipt())).isEqualTo(r);
    assertThat(PutResult.parseReceipt(" n1 = primary , n4=fallback( n3 ) ")).containsExactly(
        ReplicaReceipt.primary(N1), ReplicaReceipt.fallback(N4, N3));
    assertThat(PutResult.parseReceipt("")).isEmpty();
    assertThat(put.primaries()).isEqualTo(1);
    assertThat(PutResult.of(Context.EMPTY).receipt()).isEmpty();
  }

  @Test
  void nodeIdsWithColonsAndBracketsSurvive() {
    // A node id never holds '=', '(' or ',' (NodeId's rule), so the form is unambiguous.
    ReplicaReceipt r = ReplicaReceipt.fallback(NodeId.of("10.0.0.4:7000"), NodeId.of("[::1]:7001"));
    assertThat(ReplicaReceipt.parse(r.toString())).isEqualTo(r);
  }

  @Test
  void malformedReceiptsAndRolesAreRefused() {
    assertThatThrownBy(() -> ReplicaReceipt.parse("n1")).hasMessageContaining("not a replica receipt");
    assertThatThrownBy(() -> ReplicaReceipt.parse("n1=spare")).hasMessageContaining("'n1=spare'");
    assertThatThrownBy(() -> ReplicaReceipt.parse("n1=fallback(n3")).hasMessageContaining("not a");
    assertThatThrownBy(() -> new ReplicaReceipt(N1, ReplicaReceipt.Role.PRIMARY, N3))
        .hasMessageContaining("names no other node");
    assertThatThrownBy(() -> new ReplicaReceipt(N4, ReplicaReceipt.Role.FALLBACK, null))
        .hasMessageContaining("names the primary it stands for");
  }

  @Test
  void prAndPwAreZeroOrMore() {
    RequestOptions o = RequestOptions.DEFAULT.withPr(2).withPw(3).withR(1).withW(2)
        .withTimeout(Duration.ofSeconds(1));
    assertThat(o).isEqualTo(new RequestOptions(1, 2, 2, 3, Duration.ofSeconds(1)));
    assertThat(new RequestOptions(2, 0, null)).isEqualTo(new RequestOptions(2, 0, 0, 0, null));
    assertThatThrownBy(() -> RequestOptions.DEFAULT.withPw(-1)).isInstanceOf(RingkvException.class)
        .hasMessageContaining("pr and pw must be 0 or more");
  }

  @Test
  void quorumErrorsNameTheCountThatFellShort() {
    assertThat(new QuorumNotReachedException("put", 2, 1)).hasMessage(
        "quorum not reached for put: 1 of W=2 replicas acknowledged; the write may still be "
            + "stored on the replicas that took it");
    assertThat(new QuorumNotReachedException("get", 2, 1))
        .hasMessage("quorum not reached for get: 1 of R=2 replicas answered");
    QuorumNotReachedException pw = new QuorumNotReachedException("put", "PW", 3, 2);
    assertThat(pw).hasMessageStartingWith("quorum not reached for put: 2 of PW=3 primaries "
        + "acknowledged");
    assertThat(pw.quorum()).isEqualTo("PW");
    assertThat(new QuorumNotReachedException("get", "PR", 2, 0))
        .hasMessage("quorum not reached for get: 0 of PR=2 primaries answered");
  }
}
