package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The put path's metadata-only merge ({@link RecordMerge}) gives exactly what {@link Siblings#merge}
 * and {@link RecordCodec#encodePut(byte[], Siblings)} give, over random overlapping sets (shared
 * actors, contexts covering some dots, same-dot ties, tombstones), for stored records written by
 * the encoder of the previous release; and the exactly-sized encoder writes the same bytes it did.
 */
class RecordMergeTest {
  private static final AtomicInteger FAST = new AtomicInteger();
  private static final AtomicInteger CASES = new AtomicInteger();
  private static final AtomicInteger HEAD_DECIDED = new AtomicInteger();

  static LongStream seeds() {
    return LongStream.range(0, 2000);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void theFastMergeIsExactlySiblingsMergeOrDeclines(long seed) {
    Random random = new Random(seed);
    Actor[] actors = actors(random);
    Key key = RecordCodecTest.randomKey(random);
    byte[] keyBytes = RecordCodec.encodeKey(key);
    Siblings stored = related(random, actors);
    Siblings incoming = random.nextInt(4) == 0 ? sharing(random, actors, stored) : related(random, actors);
    if (stored.isEmpty() || incoming.isEmpty()) {
      return; // random contexts can cover each other's dots both ways; no engine ever stores an empty set
    }
    byte[] storedRecord = legacyEncodePut(keyBytes, stored);
    Siblings expected = stored.merge(incoming);

    RecordMerge.Merged fast = RecordMerge.merge(keyBytes, storedRecord, storedRecord.length, incoming);

    CASES.incrementAndGet();
    if (fast == null) {
      boolean sameDot = sharesADot(stored, incoming);
      boolean nothingNew = expected.versions().stream().noneMatch(v -> incoming.versions().contains(v)
          && !stored.versions().contains(v));
      assertThat(sameDot || nothingNew).as("declines only on a shared dot or when nothing incoming survives: %s + %s = %s",
          detail(stored), detail(incoming), detail(expected))
          .isTrue();
      return;
    }
    FAST.incrementAndGet();
    assertThat(fast.siblings()).isEqualTo(expected);
    assertSameEntries(fast.siblings(), expected);
    assertThat(fast.record()).isEqualTo(legacyEncodePut(keyBytes, expected));
    assertThat(RecordCodec.verify(fast.record(), fast.record().length)).isEqualTo(RecordCodec.TYPE_PUT);
    assertThat(RecordCodec.decodeKey(fast.record(), fast.record().length)).isEqualTo(key);
    Siblings decoded = RecordCodec.decodeSiblings(fast.record(), fast.record().length);
    assertThat(decoded).isEqualTo(expected);
    assertSameEntries(decoded, expected);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void theHeadOnlyMergeDecidesOnlyWhenEveryStoredVersionIsSupersededAndThenAgreesWithSiblingsMerge(long seed) {
    Random random = new Random(seed);
    Actor[] actors = actors(random);
    Key key = RecordCodecTest.randomKey(random);
    byte[] keyBytes = RecordCodec.encodeKey(key);
    Siblings stored = related(random, actors);
    Siblings incoming = random.nextInt(4) == 0 ? sharing(random, actors, stored) : related(random, actors);
    if (stored.isEmpty() || incoming.isEmpty()) {
      return;
    }
    byte[] storedRecord = legacyEncodePut(keyBytes, stored);
    Siblings expected = stored.merge(incoming);
    boolean allStoredSuperseded = !sharesADot(stored, incoming) && expected.equals(incoming);
    // Every cut of the record, from just past its key to all but its last byte.
    int keyEnd = RecordCodec.KEY_OFFSET + keyBytes.length;
    for (int cut = keyEnd; cut < storedRecord.length; cut += 1 + random.nextInt(7)) {
      byte[] head = Arrays.copyOf(storedRecord, cut);

      RecordMerge.Merged merged = RecordMerge.mergeOnMetadata(keyBytes, head, storedRecord.length, incoming);

      if (merged == null) {
        continue; // declining is always allowed: the caller reads the whole record
      }
      HEAD_DECIDED.incrementAndGet();
      assertThat(allStoredSuperseded).as("decided with a stored version surviving: %s + %s = %s",
          detail(stored), detail(incoming), detail(expected)).isTrue();
      assertThat(merged.siblings()).isSameAs(incoming);
      assertSameEntries(merged.siblings(), expected);
      assertThat(merged.record()).isEqualTo(legacyEncodePut(keyBytes, expected));
    }
  }

  @Test
  void theHeadOnlyMergeNeedsTheMetadataOfEveryStoredVersionAndNotTheValues() {
    Random random = new Random(11);
    Actor[] actors = actors(random);
    byte[] keyBytes = RecordCodec.encodeKey(Key.of("b", "k"));
    Bytes value = Bytes.of(new byte[1024]);
    Siblings stored = Siblings.of(Versioned.of(value, new Dot(actors[0], 3), VectorClock.empty(), 1),
        Versioned.of(value, new Dot(actors[1], 5), VectorClock.empty(), 1));
    byte[] record = legacyEncodePut(keyBytes, stored);
    Actor writer = new Actor(NodeId.of("writer.example:7000"), 1);
    Siblings incoming = Siblings.of(Versioned.of(Bytes.utf8("w"), new Dot(writer, 1),
        VectorClock.empty().with(new Dot(actors[0], 3), 1).with(new Dot(actors[1], 5), 1), 2));
    // The second version's metadata follows the first version's 1 KiB value: a short head lacks it.
    assertThat(RecordMerge.mergeOnMetadata(keyBytes, Arrays.copyOf(record, 200), record.length, incoming)).isNull();
    assertThat(RecordMerge.mergeOnMetadata(keyBytes, Arrays.copyOf(record, record.length - 1024), record.length,
        incoming)).isNotNull();
  }

  @Test
  void theHeadOnlyMergeLeavesDamagedOrForeignHeadsToTheWholeRecordPath() {
    Random random = new Random(13);
    Actor[] actors = actors(random);
    byte[] keyBytes = RecordCodec.encodeKey(Key.of("b", "k"));
    Siblings stored = Siblings.of(Versioned.of(Bytes.utf8("v"), new Dot(actors[0], 3), VectorClock.empty(), 1));
    byte[] record = legacyEncodePut(keyBytes, stored);
    Siblings incoming = Siblings.of(Versioned.of(Bytes.utf8("w"), new Dot(actors[1], 1),
        VectorClock.empty().with(new Dot(actors[0], 3), 1), 2));
    byte[] head = Arrays.copyOf(record, record.length - 1);
    byte[] badVersion = head.clone();
    badVersion[4] = 9;
    byte[] removal = RecordCodec.encodeRemove(keyBytes);
    byte[] badActorIndex = head.clone();
    badActorIndex[RecordCodec.KEY_OFFSET + keyBytes.length] = 0x7f; // claims 127 actors

    assertThat(RecordMerge.mergeOnMetadata(keyBytes, head, record.length, incoming)).isNotNull();
    assertThat(RecordMerge.mergeOnMetadata(keyBytes, badVersion, record.length, incoming)).isNull();
    assertThat(RecordMerge.mergeOnMetadata(keyBytes, removal, removal.length + 1, incoming)).isNull();
    assertThat(RecordMerge.mergeOnMetadata(keyBytes, badActorIndex, record.length, incoming)).isNull();
    assertThat(RecordMerge.mergeOnMetadata(keyBytes, head, head.length - 1, incoming)).as("head longer than the record")
        .isNull();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void theExactlySizedEncoderWritesWhatThePreviousEncoderWrote(long seed) {
    Random random = new Random(seed);
    byte[] keyBytes = RecordCodec.encodeKey(RecordCodecTest.randomKey(random));
    Siblings siblings = seed % 2 == 0 ? RecordCodecTest.randomSiblings(random) : related(random, actors(random));
    if (siblings.isEmpty()) {
      return;
    }
    assertThat(RecordCodec.encodePut(keyBytes, siblings)).isEqualTo(legacyEncodePut(keyBytes, siblings));
    assertThat(RecordMerge.fresh(keyBytes, siblings).record()).isEqualTo(legacyEncodePut(keyBytes, siblings));
  }

  @Test
  void aCorruptStoredRecordIsLeftToTheGeneralPath() {
    Random random = new Random(7);
    Actor[] actors = actors(random);
    byte[] keyBytes = RecordCodec.encodeKey(Key.of("b", "k"));
    Siblings stored = Siblings.of(Versioned.of(Bytes.utf8("v"), new Dot(actors[0], 3), VectorClock.empty(), 1));
    byte[] record = legacyEncodePut(keyBytes, stored);
    record[record.length - 1] ^= 1;
    Siblings incoming = Siblings.of(Versioned.of(Bytes.utf8("w"), new Dot(actors[1], 1),
        VectorClock.empty().with(new Dot(actors[0], 3), 1), 2));

    assertThat(RecordMerge.merge(keyBytes, record, record.length, incoming)).isNull();
  }

  @ParameterizedTest
  @MethodSource("engineSeeds")
  void theEngineReturnsAndStoresWhatSiblingsMergeGives(long seed, @TempDir Path directory) {
    Random random = new Random(seed);
    Actor[] actors = actors(random);
    Map<Key, Siblings> model = new HashMap<>();
    try (LogStorageEngine engine = Fixtures.open(directory, Fixtures.smallFiles())) {
      for (int i = 0; i < 300; i++) {
        Key key = Fixtures.key(random.nextInt(6));
        Siblings current = model.getOrDefault(key, Siblings.empty());
        Siblings incoming = random.nextInt(3) == 0 ? sharing(random, actors, current) : related(random, actors);
        Siblings expected = current.merge(incoming);
        if (!incoming.isEmpty() && expected.isEmpty()) {
          continue; // versions covering each other both ways: causally impossible, and the set is empty
        }

        Siblings returned = engine.put(key, incoming);

        assertThat(returned).as("put %d of %s", i, key).isEqualTo(expected);
        assertSameEntries(returned, expected);
        if (!expected.isEmpty()) {
          model.put(key, expected);
        }
        Siblings read = engine.get(key);
        assertThat(read).isEqualTo(expected);
        assertSameEntries(read, expected);
      }
      assertThat(Fixtures.contents(engine)).isEqualTo(model);
    }
  }

  static LongStream engineSeeds() {
    return LongStream.range(0, 20);
  }

  @AfterAll
  static void theFastPathWasExercised() {
    if (CASES.get() >= 1000) {
      assertThat(FAST.get()).as("cases the fast path decided, of %d", CASES.get()).isGreaterThan(CASES.get() / 4);
      assertThat(HEAD_DECIDED.get()).as("record cuts the head-only merge decided").isGreaterThan(CASES.get() / 4);
    }
  }

  private static String detail(Siblings s) {
    StringBuilder sb = new StringBuilder();
    s.versions().forEach(v -> sb.append(v.dot()).append(v.context().counters()).append(' '));
    return sb.toString();
  }

  private static boolean sharesADot(Siblings a, Siblings b) {
    Set<Dot> dots = new HashSet<>();
    a.versions().forEach(v -> dots.add(v.dot()));
    return b.versions().stream().anyMatch(v -> dots.contains(v.dot()));
  }

  private static void assertSameEntries(Siblings actual, Siblings expected) {
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.versions().get(i).context().entries()).as("clock entries with their timestamps")
          .isEqualTo(expected.versions().get(i).context().entries());
    }
  }

  private static Actor[] actors(Random random) {
    Actor[] actors = new Actor[2 + random.nextInt(3)];
    for (int i = 0; i < actors.length; i++) {
      actors[i] = new Actor(NodeId.of("node-" + i + ".example:7000"), random.nextInt(3));
    }
    return actors;
  }

  /** A random set over a small actor pool and small counters, so sets overlap, cover and tie. */
  private static Siblings related(Random random, Actor[] actors) {
    List<Versioned<Bytes>> versions = new ArrayList<>();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      versions.add(randomVersion(random, actors));
    }
    return Siblings.of(versions);
  }

  /** A set holding some of {@code base}'s dots, each maybe with other metadata or value (a same-dot tie), plus new versions. */
  private static Siblings sharing(Random random, Actor[] actors, Siblings base) {
    List<Versioned<Bytes>> versions = new ArrayList<>();
    for (Versioned<Bytes> v : base.versions()) {
      switch (random.nextInt(5)) {
        case 0 -> versions.add(v);
        case 1 -> versions.add(new Versioned<>(randomValue(random), v.dot(), v.context(), v.timestamp(), v.tombstone()));
        case 2 -> versions.add(new Versioned<>(v.value(), v.dot(), v.context(), v.timestamp() + random.nextInt(3) - 1,
            !v.tombstone() && random.nextBoolean()));
        case 3 -> versions.add(new Versioned<>(v.value(), v.dot(), retimed(random, v.context()), v.timestamp(),
            v.tombstone()));
        default -> {
        }
      }
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      versions.add(randomVersion(random, actors));
    }
    return Siblings.of(versions);
  }

  private static VectorClock retimed(Random random, VectorClock clock) {
    TreeMap<Actor, VectorClock.Entry> entries = new TreeMap<>();
    clock.entries().forEach((a, e) -> entries.put(a, new VectorClock.Entry(e.counter(), e.timestamp() + random.nextInt(2))));
    return new VectorClock(entries);
  }

  private static Versioned<Bytes> randomVersion(Random random, Actor[] actors) {
    Actor actor = actors[random.nextInt(actors.length)];
    Dot dot = new Dot(actor, 1 + random.nextInt(6));
    TreeMap<Actor, VectorClock.Entry> context = new TreeMap<>();
    for (Actor other : actors) {
      long limit = other.equals(actor) ? dot.counter() - 1 : 7;
      if (limit > 0 && random.nextBoolean()) {
        context.put(other, new VectorClock.Entry(1 + random.nextInt((int) limit), random.nextInt(3)));
      }
    }
    boolean tombstone = random.nextInt(5) == 0;
    return new Versioned<>(tombstone ? Bytes.EMPTY : randomValue(random), dot, new VectorClock(context),
        random.nextInt(4), tombstone);
  }

  private static Bytes randomValue(Random random) {
    // Some values longer than the head a put reads first, so records whose metadata ends past it occur.
    byte[] value = new byte[random.nextInt(4) == 0 ? random.nextInt(2)
        : random.nextInt(6) == 0 ? 200 + random.nextInt(600) : random.nextInt(300)];
    random.nextBytes(value);
    return Bytes.of(value);
  }

  /** The PUT encoder of the previous release, verbatim, so records it wrote are what the tests store. */
  static byte[] legacyEncodePut(byte[] keyBytes, Siblings siblings) {
    List<Versioned<Bytes>> versions = siblings.versions();
    List<Actor> actors = new ArrayList<>(4);
    byte[][] values = new byte[versions.size()][];
    for (int i = 0; i < versions.size(); i++) {
      Versioned<Bytes> v = versions.get(i);
      if (!actors.contains(v.dot().actor())) {
        actors.add(v.dot().actor());
      }
      for (Actor a : v.context().entries().keySet()) {
        if (!actors.contains(a)) {
          actors.add(a);
        }
      }
      values[i] = v.value().toByteArray();
    }
    LegacyOut out = new LegacyOut();
    out.u8(0);
    out.u8(0);
    out.u8(0);
    out.u8(0);
    out.u8(RecordCodec.FORMAT_VERSION);
    out.u8(RecordCodec.TYPE_PUT);
    out.bytes(keyBytes);
    out.varLong(actors.size());
    for (Actor actor : actors) {
      byte[] b = actor.node().value().getBytes(StandardCharsets.UTF_8);
      out.varLong(b.length);
      out.bytes(b);
      out.varLong(actor.epoch());
    }
    out.varLong(versions.size());
    for (int i = 0; i < versions.size(); i++) {
      Versioned<Bytes> v = versions.get(i);
      out.u8(v.tombstone() ? 1 : 0);
      out.varLong(zigzag(v.timestamp()));
      out.varLong(actors.indexOf(v.dot().actor()));
      out.varLong(v.dot().counter());
      out.varLong(v.context().size());
      for (Map.Entry<Actor, VectorClock.Entry> e : v.context().entries().entrySet()) {
        out.varLong(actors.indexOf(e.getKey()));
        out.varLong(e.getValue().counter());
        out.varLong(zigzag(e.getValue().timestamp()));
      }
      out.varLong(values[i].length);
      out.bytes(values[i]);
    }
    byte[] record = Arrays.copyOf(out.buf, out.pos);
    CRC32C crc = new CRC32C();
    crc.update(record, 4, record.length - 4);
    int c = (int) crc.getValue();
    record[0] = (byte) (c >>> 24);
    record[1] = (byte) (c >>> 16);
    record[2] = (byte) (c >>> 8);
    record[3] = (byte) c;
    return record;
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static final class LegacyOut {
    byte[] buf = new byte[64];
    int pos;

    void u8(int v) {
      ensure(1);
      buf[pos++] = (byte) v;
    }

    void varLong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    void bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    private void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }
  }
}
