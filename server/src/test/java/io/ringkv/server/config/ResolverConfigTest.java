package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverConfigTest {
  @Test
  void defaultsToSiblingsWithNoBucketDeclared() {
    assertThat(ResolverConfig.DEFAULTS.defaultResolver()).isEqualTo("siblings");
    assertThat(ResolverConfig.DEFAULTS.buckets()).isEmpty();
  }

  @Test
  void declaresBucketsByName() {
    ResolverConfig c = ResolverConfig.DEFAULTS.withDefaultResolver("lww")
        .withBucket(BucketConfig.named("carts").withResolver("set-union"))
        .withBucket(BucketConfig.named("a"));
    assertThat(c.defaultResolver()).isEqualTo("lww");
    assertThat(c.buckets()).containsOnlyKeys("a", "carts");
    assertThat(c.buckets().get("carts").resolver()).isEqualTo("set-union");
    assertThat(ResolverConfig.DEFAULTS.buckets()).isEmpty();
  }

  @Test
  void aBucketMustBeListedUnderItsOwnName() {
    assertThatThrownBy(() -> new ResolverConfig("siblings", Map.of("carts", BucketConfig.named("cart"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("bucket.carts=cart: a declared bucket must be listed under its own name");
  }

  @Test
  void needsADefaultResolver() {
    assertThatThrownBy(() -> new ResolverConfig("", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("resolver.default=: must name a resolver");
  }
}
