package io.ringkv.benchmarks;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.ring.PreferenceList;
import io.ringkv.ring.Ring;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing with the {@code ring} module alone: the preference list of a key (N=3) as a coordinator
 * or the partition-aware client looks it up per request ({@code lookup}: the key's partition and
 * its list; {@code lookupAndFirstFallback}: the same and the first fall-back, as a sloppy quorum
 * reads it when a primary is down), for rings of Q partitions over S nodes ({@code Q/S}), 4 096
 * distinct keys cycled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class RingBenchmark {
  @Param({"64/3", "1024/64", "4096/1000"})
  public String shape;

  private Ring ring;
  private Key[] keys;
  private int next;

  @Setup
  public void setUp() {
    String[] qs = shape.split("/");
    List<NodeId> nodes = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(qs[1]); i++) {
      nodes.add(NodeId.of("node-" + i));
    }
    ring = Ring.create(Integer.parseInt(qs[0]), nodes);
    keys = new Key[4096];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Key.of("bench", "key-" + i);
    }
  }

  @Benchmark
  public PreferenceList lookup() {
    return ring.preferenceList(keys[next++ & 4095], 3);
  }

  @Benchmark
  public NodeId lookupAndFirstFallback() {
    PreferenceList list = ring.preferenceList(keys[next++ & 4095], 3);
    return list.fallbacks().isEmpty() ? list.primaries().get(0) : list.fallbacks().get(0);
  }
}
