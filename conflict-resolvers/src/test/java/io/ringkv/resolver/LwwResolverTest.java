package io.ringkv.resolver;

import static io.ringkv.resolver.V.dot;
import static io.ringkv.resolver.V.live;
import static io.ringkv.resolver.V.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Resolution;
import io.ringkv.api.Versioned;
import java.util.List;
import org.junit.jupiter.api.Test;

class LwwResolverTest {
  private final ConflictResolver resolver = BuiltInResolvers.lww();

  @Test
  void theLatestTimestampWinsAmongConcurrentVersions() {
    Versioned<Bytes> early = live("early", dot("n1", 1), 100);
    Versioned<Bytes> late = live("late", dot("n2", 1), 200);

    assertThat(resolver.resolve(List.of(late, early)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("late"), 200, false));
  }

  @Test
  void aCausallyNewerVersionWinsEvenWithAnOlderTimestamp() {
    // n2's clock runs 60 s behind: its write read n1's and must replace it.
    Versioned<Bytes> seenByNewer = live("old", dot("n1", 1), 100_000);
    Versioned<Bytes> newer = live("new", dot("n2", 1), 40_000, dot("n1", 1));

    assertThat(resolver.resolve(List.of(seenByNewer, newer)))
        .isEqualTo(new Resolution.Keep(List.of(newer)));
  }

  @Test
  void aSupersededVersionWithTheLatestTimestampNeverWinsAgainstConcurrentOnes() {
    Versioned<Bytes> superseded = live("superseded", dot("n1", 1), 900);
    Versioned<Bytes> newer = live("newer", dot("n2", 1), 300, dot("n1", 1));
    Versioned<Bytes> concurrent = live("concurrent", dot("n3", 1), 200);

    assertThat(resolver.resolve(List.of(superseded, concurrent, newer)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("newer"), 300, false));
  }

  @Test
  void equalTimestampsAreBrokenByDotOrderWhateverTheInputOrder() {
    Versioned<Bytes> a = live("a", dot("n1", 7), 500);
    Versioned<Bytes> b = live("b", dot("n2", 1), 500);
    Resolution expected = new Resolution.Merged(Bytes.utf8("b"), 500, false);

    assertThat(resolver.resolve(List.of(a, b))).isEqualTo(expected);
    assertThat(resolver.resolve(List.of(b, a))).isEqualTo(expected);
  }

  @Test
  void aLaterTombstoneWinsAsADelete() {
    Versioned<Bytes> value = live("v", dot("n1", 1), 100);
    Versioned<Bytes> delete = tombstone(dot("n2", 1), 200);

    assertThat(resolver.resolve(List.of(value, delete)))
        .isEqualTo(new Resolution.Merged(Bytes.EMPTY, 200, true));
  }

  @Test
  void anEarlierTombstoneLosesToALaterValue() {
    Versioned<Bytes> delete = tombstone(dot("n1", 1), 100);
    Versioned<Bytes> value = live("v", dot("n2", 1), 200);

    assertThat(resolver.resolve(List.of(delete, value)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("v"), 200, false));
  }

  @Test
  void aTombstoneThatSupersedesEverythingIsKeptAsItIs() {
    Versioned<Bytes> value = live("v", dot("n1", 1), 100);
    Versioned<Bytes> delete = tombstone(dot("n2", 1), 50, dot("n1", 1));

    assertThat(resolver.resolve(List.of(value, delete)))
        .isEqualTo(new Resolution.Keep(List.of(delete)));
  }

  @Test
  void aSingleVersionIsKept() {
    Versioned<Bytes> only = live("only", dot("n1", 3), 1);

    assertThat(resolver.resolve(List.of(only))).isEqualTo(new Resolution.Keep(List.of(only)));
  }
}
