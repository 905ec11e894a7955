package io.ringkv.resolver;

import static io.ringkv.resolver.V.dot;
import static io.ringkv.resolver.V.live;
import static io.ringkv.resolver.V.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Resolution;
import io.ringkv.api.Versioned;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiblingsResolverTest {
  private final ConflictResolver resolver = BuiltInResolvers.siblings();

  @Test
  void keepsEveryConcurrentVersionInDotOrder() {
    Versioned<Bytes> b = live("b", dot("n2", 1), 10);
    Versioned<Bytes> a = live("a", dot("n1", 1), 20);

    assertThat(resolver.resolve(List.of(b, a))).isEqualTo(new Resolution.Keep(List.of(a, b)));
  }

  @Test
  void dropsWhatAnotherVersionHasSeenAndKeepsDuplicatesOnce() {
    Versioned<Bytes> old = live("old", dot("n1", 1), 10);
    Versioned<Bytes> newer = live("new", dot("n1", 2), 5, dot("n1", 1));
    Versioned<Bytes> concurrent = live("other", dot("n2", 1), 7);

    assertThat(resolver.resolve(List.of(old, newer, concurrent, newer)))
        .isEqualTo(new Resolution.Keep(List.of(newer, concurrent)));
  }

  @Test
  void keepsATombstoneAsASibling() {
    Versioned<Bytes> value = live("v", dot("n1", 1), 10);
    Versioned<Bytes> delete = tombstone(dot("n2", 1), 20);

    assertThat(resolver.resolve(List.of(delete, value)))
        .isEqualTo(new Resolution.Keep(List.of(value, delete)));
  }

  @Test
  void refusesAnEmptyInput() {
    assertThatThrownBy(() -> resolver.resolve(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one version");
  }
}
