package io.ringkv.resolver;

import static io.ringkv.resolver.V.dot;
import static io.ringkv.resolver.V.live;
import static io.ringkv.resolver.V.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Resolution;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetUnionResolverTest {
  private final ConflictResolver resolver = BuiltInResolvers.setUnion();

  @Test
  void mergesConcurrentCartsIntoTheSortedUnionWithTheLatestTimestamp() {
    Versioned<Bytes> left = live("milk\nbread", dot("n1", 1), 100);
    Versioned<Bytes> right = live("eggs\nmilk", dot("n2", 1), 300);

    assertThat(resolver.resolve(List.of(left, right)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("bread\neggs\nmilk"), 300, false));
  }

  @Test
  void aCanonicalMergedValueMergesBackToItself() {
    Versioned<Bytes> a = live("bread\neggs\nmilk", dot("n1", 1), 1);
    Versioned<Bytes> b = live("bread\neggs\nmilk", dot("n2", 1), 2);

    assertThat(resolver.resolve(List.of(a, b)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("bread\neggs\nmilk"), 2, false));
  }

  @Test
  void ignoresEmptyLinesAndSortsByCodePoint() {
    Versioned<Bytes> a = live("\n\u00e9clair\n\nzucchini\n", dot("n1", 1), 1);
    Versioned<Bytes> b = live("apple", dot("n2", 1), 2);

    assertThat(resolver.resolve(List.of(a, b)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("apple\nzucchini\n\u00e9clair"), 2, false));
  }

  @Test
  void aConcurrentRemovalIsNotPreservedTheItemResurfaces() {
    Versioned<Bytes> cart = live("book\npen", dot("n1", 1), 1);
    Versioned<Bytes> removedPen = live("book", dot("n2", 1), 2, dot("n1", 1));
    Versioned<Bytes> addedInk = live("book\nink\npen", dot("n3", 1), 3, dot("n1", 1));

    assertThat(resolver.resolve(List.of(cart, removedPen, addedInk)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("book\nink\npen"), 3, false));
  }

  @Test
  void aRemovalThatSawEverySiblingSticks() {
    Versioned<Bytes> a = live("book\npen", dot("n1", 1), 1);
    Versioned<Bytes> b = live("ink", dot("n2", 1), 2);
    Versioned<Bytes> removal = live("ink", dot("n1", 2), 3, dot("n1", 1), dot("n2", 1));

    assertThat(resolver.resolve(List.of(a, b, removal)))
        .isEqualTo(new Resolution.Keep(List.of(removal)));
  }

  @Test
  void aConcurrentDeleteLosesToAnUpdate() {
    Versioned<Bytes> delete = tombstone(dot("n1", 1), 500);
    Versioned<Bytes> a = live("x", dot("n2", 1), 100);
    Versioned<Bytes> b = live("y", dot("n3", 1), 200);

    assertThat(resolver.resolve(List.of(delete, a, b)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("x\ny"), 500, false));
  }

  @Test
  void onlyTombstonesMergeIntoADelete() {
    Versioned<Bytes> d1 = tombstone(dot("n1", 1), 5);
    Versioned<Bytes> d2 = tombstone(dot("n2", 1), 9);

    assertThat(resolver.resolve(List.of(d1, d2)))
        .isEqualTo(new Resolution.Merged(Bytes.EMPTY, 9, true));
  }

  @Test
  void keepsBytesThatAreNotUtf8AsTheyAre() {
    byte[] raw = {(byte) 0xff, (byte) 0xfe};
    Versioned<Bytes> a = Versioned.of(Bytes.of(raw), dot("n1", 1), VectorClock.empty(), 1);
    Versioned<Bytes> b = live("a", dot("n2", 1), 2);

    assertThat(resolver.resolve(List.of(a, b)))
        .isEqualTo(new Resolution.Merged(Bytes.of(new byte[] {'a', '\n', (byte) 0xff,
            (byte) 0xfe}), 2, false));
  }

  @Test
  void itemsOfASupersededVersionDoNotComeBack() {
    Versioned<Bytes> old = live("gone", dot("n1", 1), 1);
    Versioned<Bytes> newer = live("kept", dot("n1", 2), 2, dot("n1", 1));
    Versioned<Bytes> concurrent = live("other", dot("n2", 1), 3);

    assertThat(resolver.resolve(List.of(old, newer, concurrent)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("kept\nother"), 3, false));
  }
}
