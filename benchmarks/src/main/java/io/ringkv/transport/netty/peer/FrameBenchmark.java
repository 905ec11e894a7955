package io.ringkv.transport.netty.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The node-to-node frames of a quorum write and read (issue 11): a replica {@code Store} of one
 * 1 KiB version with a three-entry clock, and the {@code Fetched} answer of a read, each mapped
 * to protobuf and serialised (what the codec's encode does, minus the buffer allocation), and
 * parsed and mapped back ({@link FrameCodec#decode}). In the transport's package for its
 * package-private codec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameBenchmark {
  private Frame store;
  private Frame fetched;
  private byte[] storeBytes;
  private byte[] fetchedBytes;

  @Setup
  public void setUp() {
    TreeMap<Actor, VectorClock.Entry> entries = new TreeMap<>();
    for (int i = 0; i < 3; i++) {
      entries.put(new Actor(NodeId.of("node-" + i), 1), new VectorClock.Entry(1000 + i, 1_700_000_000_000L));
    }
    Versioned<Bytes> version = new Versioned<>(Bytes.of(new byte[1024]),
        new Dot(new Actor(NodeId.of("node-0"), 1), 1001), new VectorClock(entries), 1_700_000_000_001L, false);
    Key key = Key.of("usertable", "user6284781860667377211");
    store = new Frame.Request(42, NodeId.of("node-0"), new ReplicaRequest.Store(key, Siblings.of(version)));
    fetched = new Frame.Response(43, new ReplicaResponse.Fetched(Siblings.of(version)));
    storeBytes = WireMapping.toEnvelope(store).toByteArray();
    fetchedBytes = WireMapping.toEnvelope(fetched).toByteArray();
  }

  @Benchmark
  public byte[] storeEncode() {
    return WireMapping.toEnvelope(store).toByteArray();
  }

  @Benchmark
  public Frame storeDecode() {
    ByteBuf buf = Unpooled.wrappedBuffer(storeBytes);
    return FrameCodec.decode(buf);
  }

  @Benchmark
  public byte[] fetchedEncode() {
    return WireMapping.toEnvelope(fetched).toByteArray();
  }

  @Benchmark
  public Frame fetchedDecode() {
    return FrameCodec.decode(Unpooled.wrappedBuffer(fetchedBytes));
  }
}
