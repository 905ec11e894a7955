package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.byteArrays;
import static org.quicktheories.generators.Generate.bytes;
import static org.quicktheories.generators.Generate.range;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.InvalidContextException;
import io.ringkv.api.NodeId;
import io.ringkv.api.VectorClock;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * The codec round-trips every clock, and for any bytes at all either decodes them to a clock that
 * encodes back to exactly those bytes or throws {@link InvalidContextException} (nothing else).
 */
class ContextCodecPropertiesTest {
  private static final String NODE_CHARS = "abcxyzABZ0189._:-[]";

  /** Mostly small clocks with short ids and small numbers; now and then wide ones of each. */
  private static final Gen<VectorClock> CLOCKS = in -> {
    TreeMap<Actor, VectorClock.Entry> m = new TreeMap<>();
    long size = in.next(Constraint.between(0, oneIn(in, 2) ? 60 : 4));
    for (int i = 0; i < size; i++) {
      StringBuilder node = new StringBuilder();
      long length = in.next(Constraint.between(1, oneIn(in, 4) ? 128 : 6));
      for (int j = 0; j < length; j++) {
        node.append(NODE_CHARS.charAt((int) in.next(Constraint.between(0, NODE_CHARS.length() - 1))));
      }
      long epoch = wide(in);
      long counter = Math.max(1, wide(in));
      long timestamp = in.next(Constraint.none());
      m.put(new Actor(NodeId.of(node.toString()), epoch), new VectorClock.Entry(counter, timestamp));
    }
    return new VectorClock(m);
  };

  private static final Gen<Long> SEEDS = in -> in.next(Constraint.none());

  private static boolean oneIn(RandomnessSource in, int n) {
    return in.next(Constraint.between(1, n)) == 1;
  }

  /** A small, mid-sized or any non-negative long: varints of every length. */
  private static long wide(RandomnessSource in) {
    long positive = in.next(Constraint.none()) & Long.MAX_VALUE;
    switch ((int) in.next(Constraint.between(0, 2))) {
      case 0:
        return positive % 4;
      case 1:
        return positive % 100_000;
      default:
        return positive;
    }
  }

  private static QuickTheory theory() {
    return qt().withFixedSeed(0xc0dec_1L).withExamples(1000).withShrinkCycles(50);
  }

  @Test
  void everyClockRoundTripsWithItsTimestamps() {
    theory().forAll(CLOCKS).checkAssert(clock -> {
      Context token = ContextCodec.encode(clock);
      VectorClock back = ContextCodec.decode(token);
      assertThat(back.entries()).isEqualTo(clock.entries());
      assertThat(ContextCodec.encode(back)).isEqualTo(token);
      assertThat(ContextCodec.decode(Context.parse(token.encoded())).entries())
          .isEqualTo(clock.entries());
    });
  }

  @Test
  void randomBytesDecodeCanonicallyOrFailAsInvalidContext() {
    theory().forAll(byteArrays(range(0, 48), bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)),
            SEEDS)
        .checkAssert((raw, seed) -> {
          assertDecodesCanonicallyOrRejects(raw);
          // Most random bytes fail on the format byte; make the rest of the parser see them too.
          byte[] formatted = raw.clone();
          if (formatted.length > 0) {
            formatted[0] = 1;
            if (formatted.length > 1) {
              formatted[1] = (byte) new Random(seed).nextInt(4);
            }
          }
          assertDecodesCanonicallyOrRejects(formatted);
        });
  }

  @Test
  void mutatedTokensDecodeCanonicallyOrFailAsInvalidContext() {
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    theory().forAll(CLOCKS, SEEDS).checkAssert((clock, seed) -> {
      byte[] token = ContextCodec.encode(clock).token().toByteArray();
      Random random = new Random(seed);
      for (int i = 0; i < 8; i++) {
        byte[] mutated = mutate(token, random);
        if (assertDecodesCanonicallyOrRejects(mutated)) {
          accepted.incrementAndGet();
        } else {
          rejected.incrementAndGet();
        }
      }
    });
    assertThat(accepted.get()).as("mutations that still decode").isPositive();
    assertThat(rejected.get()).as("mutations that are rejected").isPositive();
  }

  private static byte[] mutate(byte[] token, Random random) {
    if (token.length == 0) {
      return new byte[] {(byte) random.nextInt(256)};
    }
    int at = random.nextInt(token.length);
    switch (random.nextInt(5)) {
      case 0: {
        byte[] flipped = token.clone();
        flipped[at] ^= (byte) (1 << random.nextInt(8));
        return flipped;
      }
      case 1: {
        byte[] set = token.clone();
        set[at] = (byte) random.nextInt(256);
        return set;
      }
      case 2:
        return Arrays.copyOf(token, at);
      case 3: {
        byte[] longer = Arrays.copyOf(token, token.length + 1);
        System.arraycopy(token, at, longer, at + 1, token.length - at);
        longer[at] = (byte) random.nextInt(256);
        return longer;
      }
      default: {
        byte[] shorter = new byte[token.length - 1];
        System.arraycopy(token, 0, shorter, 0, at);
        System.arraycopy(token, at + 1, shorter, at, token.length - at - 1);
        return shorter;
      }
    }
  }

  /** True when accepted (and then re-encoded to exactly the input), false when rejected. */
  private static boolean assertDecodesCanonicallyOrRejects(byte[] raw) {
    Context input = new Context(Bytes.of(raw));
    VectorClock decoded;
    try {
      decoded = ContextCodec.decode(input);
    } catch (InvalidContextException e) {
      assertThat(e.getMessage()).startsWith("invalid context: ");
      return false;
    }
    assertThat(ContextCodec.encode(decoded)).as("re-encoding of an accepted token")
        .isEqualTo(input);
    return true;
  }
}
