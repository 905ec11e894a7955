package io.ringkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed's quorum table and the range rules (DESIGN.md, "The data model and the API"). */
class QuorumSpecTest {

  @Test
  void threeTwoOneIsRefusedNamingTheRule() {
    RingkvException e = catchThrowableOfType(RingkvException.class, () -> new QuorumSpec(3, 2, 1));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUORUM);
    assertThat(e).hasMessageContaining("r + w > n").hasMessageContaining("n=3, r=2, w=1");
  }

  @ParameterizedTest
  @CsvSource({"3,2,2", "3,3,1", "3,1,3", "1,1,1", "5,3,3"})
  void theSeedsAcceptedQuorums(int n, int r, int w) {
    QuorumSpec spec = new QuorumSpec(n, r, w);

    assertThat(spec.n()).isEqualTo(n);
    assertThat(spec.r()).isEqualTo(r);
    assertThat(spec.w()).isEqualTo(w);
  }

  @ParameterizedTest
  @CsvSource({
      "0,1,1,n must be at least 1",
      "-1,1,1,n must be at least 1",
      "3,0,3,1 <= r <= n",
      "3,4,3,1 <= r <= n",
      "3,-2,3,1 <= r <= n",
      "3,3,0,1 <= w <= n",
      "3,3,4,1 <= w <= n",
      "4,2,2,r + w > n"})
  void outOfRangeQuorumsAreRefusedNamingTheRule(int n, int r, int w, String rule) {
    assertThatThrownBy(() -> new QuorumSpec(n, r, w))
        .isInstanceOfSatisfying(RingkvException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_QUORUM))
        .hasMessageContaining(rule)
        .hasMessageContaining("n=" + n + ", r=" + r + ", w=" + w);
  }

  /** Every small (n, r, w): accepted exactly when 1 <= r, w <= n and r + w > n. */
  @Test
  void acceptedExactlyWhenTheRulesHold() {
    for (int n = -1; n <= 6; n++) {
      for (int r = -1; r <= 7; r++) {
        for (int w = -1; w <= 7; w++) {
          boolean valid = n >= 1 && r >= 1 && r <= n && w >= 1 && w <= n && r + w > n;
          int fn = n;
          int fr = r;
          int fw = w;
          if (valid) {
            assertThat(new QuorumSpec(n, r, w)).isEqualTo(new QuorumSpec(n, r, w));
          } else {
            assertThatThrownBy(() -> new QuorumSpec(fn, fr, fw))
                .as("(%d,%d,%d)", n, r, w).isInstanceOf(RingkvException.class);
          }
        }
      }
    }
  }

  @Test
  void overridesAreCheckedAgain() {
    QuorumSpec spec = new QuorumSpec(3, 2, 2);

    assertThat(spec.withOverrides(0, 0)).isSameAs(spec);
    assertThat(spec.withOverrides(3, 0)).isEqualTo(new QuorumSpec(3, 3, 2));
    assertThat(spec.withOverrides(0, 3)).isEqualTo(new QuorumSpec(3, 2, 3));
    assertThatThrownBy(() -> spec.withOverrides(0, 1)).hasMessageContaining("r + w > n");
    assertThat(spec.withOverrides(1, 3)).isEqualTo(new QuorumSpec(3, 1, 3));
    assertThatThrownBy(() -> spec.withOverrides(1, 0)).hasMessageContaining("r + w > n");
    assertThatThrownBy(() -> spec.withOverrides(1, 1)).hasMessageContaining("r + w > n");
    assertThatThrownBy(() -> spec.withOverrides(4, 0)).hasMessageContaining("1 <= r <= n");
    assertThatThrownBy(() -> spec.withOverrides(0, 5)).hasMessageContaining("1 <= w <= n");
    assertThatThrownBy(() -> spec.withOverrides(-1, 0)).hasMessageContaining("1 <= r <= n");
  }
}
