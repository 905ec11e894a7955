package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import io.ringkv.api.QuorumSpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketConfigTest {
  private static final QuorumSpec DEFAULTS = new QuorumSpec(3, 2, 2);

  @Test
  void aNamedBucketTakesEveryDefault() {
    BucketConfig b = BucketConfig.named("carts");
    assertThat(b.n()).isNull();
    assertThat(b.r()).isNull();
    assertThat(b.w()).isNull();
    assertThat(b.resolver()).isNull();
    assertThat(b.resolverSettings()).isEmpty();
    assertThat(b.quorum(DEFAULTS)).isEqualTo(DEFAULTS);
    assertThat(b.resolverOr("siblings")).isEqualTo("siblings");
  }

  @Test
  void mapsEveryField() {
    BucketConfig b = new BucketConfig("scores", 5, 3, 3, "numeric-max", Map.of("b", "2", "a", "1"));
    assertThat(b.name()).isEqualTo("scores");
    assertThat(b.quorum(DEFAULTS)).isEqualTo(new QuorumSpec(5, 3, 3));
    assertThat(b.resolverOr("siblings")).isEqualTo("numeric-max");
    assertThat(b.resolverSettings()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @ParameterizedTest
  @CsvSource({"3,3,1", "3,1,3", "1,1,1"})
  void combinesItsValuesWithTheDefaults(int n, int r, int w) {
    assertThat(BucketConfig.named("b").withQuorum(n, r, w).quorum(DEFAULTS))
        .isEqualTo(new QuorumSpec(n, r, w));
    assertThat(BucketConfig.named("b").withQuorum(null, r, null).quorum(new QuorumSpec(n, n, n)))
        .isEqualTo(new QuorumSpec(n, r, n));
  }

  @Test
  void aCombinationThatBreaksTheQuorumRuleNamesTheBucketAndTheRule() {
    // w=1 alone is fine for the bucket, but with the default n=3 and r=2: 2 + 1 is not > 3.
    BucketConfig b = BucketConfig.named("logs").withQuorum(null, null, 1);
    assertThatThrownBy(() -> b.quorum(DEFAULTS))
        .isInstanceOf(ConfigException.class)
        .hasMessage("bucket.logs=n=3, r=2, w=1: bucket 'logs': quorum (n=3, r=2, w=1) refused:"
            + " r + w > n is required (2 + 1 = 3 is not greater than 3), or a read could miss the"
            + " latest write (values not set for the bucket come from replication.n/r/w)");
  }

  @Test
  void rIsCheckedAgainstTheInheritedN() {
    assertThatThrownBy(() -> BucketConfig.named("x").withQuorum(null, 4, null).quorum(DEFAULTS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bucket 'x'")
        .hasMessageContaining("r must satisfy 1 <= r <= n");
  }

  @Test
  void refusesNonPositiveValuesAndBadNames() {
    assertThatThrownBy(() -> BucketConfig.named("b").withQuorum(0, null, null))
        .hasMessage("bucket.b.n=0: must be at least 1");
    assertThatThrownBy(() -> BucketConfig.named("b").withQuorum(null, null, -1))
        .hasMessage("bucket.b.w=-1: must be at least 1");
    assertThatThrownBy(() -> BucketConfig.named("no/slash"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("letters, digits and . _ -");
    assertThatThrownBy(() -> BucketConfig.named("b").withResolver(" "))
        .hasMessageContaining("bucket.b.resolver");
  }

  @Test
  void copiesItsSettings() {
    Map<String, String> settings = new HashMap<>(Map.of("k", "v"));
    BucketConfig b = new BucketConfig("b", null, null, null, null, settings);
    settings.put("other", "x");
    assertThat(b.resolverSettings()).containsOnlyKeys("k");
    assertThatThrownBy(() -> b.resolverSettings().put("z", "z"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
