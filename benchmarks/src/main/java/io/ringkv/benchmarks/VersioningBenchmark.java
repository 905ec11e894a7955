package io.ringkv.benchmarks;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.Occurred;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.versioning.ContextCodec;
import io.ringkv.versioning.Reconciled;
import io.ringkv.versioning.Reconciler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The versioning hot paths of every request (issue 11): comparing and merging version vectors,
 * merging a sibling set into a stored one (what every replica write does), reconciling the R
 * answers of a read, and a client context's encode and decode. {@code actors}: entries per
 * clock, 3 for a key written by its three replicas, 16 for one written by many coordinators.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VersioningBenchmark {
  @Param({"3", "16"})
  int actors;

  private VectorClock older;
  private VectorClock newer;
  private VectorClock concurrent;
  private Siblings stored;
  private Siblings superseding;
  private Siblings sibling;
  private Map<NodeId, Siblings> answers;
  private Context context;

  @Setup
  public void setUp() {
    TreeMap<Actor, VectorClock.Entry> a = new TreeMap<>();
    TreeMap<Actor, VectorClock.Entry> b = new TreeMap<>();
    TreeMap<Actor, VectorClock.Entry> c = new TreeMap<>();
    for (int i = 0; i < actors; i++) {
      Actor actor = new Actor(NodeId.of("node-" + i), 1);
      a.put(actor, new VectorClock.Entry(100 + i, 1_700_000_000_000L + i));
      b.put(actor, new VectorClock.Entry(101 + i, 1_700_000_000_100L + i));
      c.put(actor, new VectorClock.Entry(i % 2 == 0 ? 99 + i : 102 + i, 1_700_000_000_200L + i));
    }
    older = new VectorClock(a);
    newer = new VectorClock(b);
    concurrent = new VectorClock(c);
    Bytes value = Bytes.of(new byte[1024]);
    Actor n0 = new Actor(NodeId.of("node-0"), 1);
    Actor n1 = new Actor(NodeId.of("node-1"), 1);
    Versioned<Bytes> v1 = new Versioned<>(value, new Dot(n0, 200), older, 1L, false);
    Versioned<Bytes> v2 = new Versioned<>(value, new Dot(n1, 201), older, 2L, false);
    stored = Siblings.of(v1);
    superseding = Siblings.of(new Versioned<>(value, new Dot(n0, 202), v1.clock().merge(newer), 3L, false));
    sibling = Siblings.of(v2);
    answers = new LinkedHashMap<>();
    answers.put(NodeId.of("node-0"), stored);
    answers.put(NodeId.of("node-1"), superseding);
    answers.put(NodeId.of("node-2"), stored);
    context = ContextCodec.encode(newer);
  }

  @Benchmark
  public Occurred compare() {
    return older.compare(concurrent);
  }

  @Benchmark
  public boolean descends() {
    return newer.descends(older);
  }

  @Benchmark
  public VectorClock merge() {
    return older.merge(concurrent);
  }

  /** A replica write whose set supersedes what is stored (the common blind update). */
  @Benchmark
  public Siblings siblingsMergeSuperseding() {
    return stored.merge(superseding);
  }

  /** A replica write concurrent with what is stored: both versions are kept. */
  @Benchmark
  public Siblings siblingsMergeConcurrent() {
    return stored.merge(sibling);
  }

  /** A read's three answers, one newer than the other two. */
  @Benchmark
  public Reconciled reconcile() {
    return Reconciler.reconcile(answers);
  }

  @Benchmark
  public Context contextEncode() {
    return ContextCodec.encode(newer);
  }

  @Benchmark
  public VectorClock contextDecode() {
    return ContextCodec.decode(context);
  }
}
