package io.ringkv.testkit.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ringkv.api.NodeId;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.testkit.SealedSamples;
import io.ringkv.testkit.sim.SimCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Java 17 has no exhaustive pattern switch, so the peer-request dispatch ends its instanceof chain
 * in an AssertionError: this walks every permitted subtype of {@link ReplicaRequest} through a
 * real node's handler, so a new message type without a branch fails the build here, not in
 * production.
 */
class DispatchCoverageTest {
  @Test
  void everyReplicaRequestHasABranchInThePeerHandler() {
    SimCluster cluster = SimCluster.builder().nodes(3).seed(3).build();
    List<ReplicaRequest> requests = SealedSamples.standard().oneOfEach(ReplicaRequest.class);
    assertThat(requests).hasSize(ReplicaRequest.class.getPermittedSubclasses().length);
    for (ReplicaRequest request : requests) {
      assertThatCode(() -> {
        ReplicaResponse answer = cluster.join(
            cluster.node(1).handler().handle(NodeId.of("n2"), request));
        assertThat(answer).as("answer to %s", request).isNotNull();
      }).as(request.kind()).doesNotThrowAnyException();
    }
  }
}
