package io.ringkv.replication;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The leaf of a key in a {@link MerkleTree}: the first 64 bits of Murmur3 x64 128 over everything
 * that makes a sibling set what it is, version by version in dot order (dot, causal context with
 * its timestamps, timestamp, tombstone flag, value). Two replicas holding equal sets hash equally;
 * never 0 for a set that holds anything (0 means "no entry").
 */
final class LeafHash {
  private LeafHash() {}

  static long of(Siblings siblings) {
    if (siblings.isEmpty()) {
      return 0;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(64 + bytes(siblings));
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.writeInt(siblings.size());
      for (Versioned<Bytes> v : siblings.versions()) {
        writeActor(out, v.dot().actor());
        out.writeLong(v.dot().counter());
        writeClock(out, v.context());
        out.writeLong(v.timestamp());
        out.writeBoolean(v.tombstone());
        out.writeInt(v.value().length());
        out.write(v.value().toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream never fails
    }
    long h = MurmurHash3.hash128x64(buf.toByteArray())[0];
    return h == 0 ? 1 : h;
  }

  private static int bytes(Siblings siblings) {
    int n = 0;
    for (Versioned<Bytes> v : siblings.versions()) {
      n += v.value().length() + 64;
    }
    return n;
  }

  private static void writeClock(DataOutputStream out, VectorClock clock) throws IOException {
    out.writeInt(clock.size());
    for (Map.Entry<Actor, VectorClock.Entry> e : clock.entries().entrySet()) {
      writeActor(out, e.getKey());
      out.writeLong(e.getValue().counter());
      out.writeLong(e.getValue().timestamp());
    }
  }

  private static void writeActor(DataOutputStream out, Actor actor) throws IOException {
    out.writeUTF(actor.node().value());
    out.writeLong(actor.epoch());
  }
}
