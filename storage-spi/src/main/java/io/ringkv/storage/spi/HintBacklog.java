package io.ringkv.storage.spi;

/**
 * What a {@link HintStore} holds for one target: how many hints, how many bytes, and when the
 * oldest was made ({@code 0} when there is none).
 */
public record HintBacklog(long hints, long bytes, long oldestCreatedMillis) {
  /** No hint at all. */
  public static final HintBacklog EMPTY = new HintBacklog(0, 0, 0);

  public HintBacklog {
    if (hints < 0 || bytes < 0 || oldestCreatedMillis < 0) {
      throw new IllegalArgumentException("a backlog counts from 0, got hints=" + hints
          + ", bytes=" + bytes + ", oldest=" + oldestCreatedMillis);
    }
  }

  public boolean isEmpty() {
    return hints == 0;
  }

  /** How old the oldest hint is at {@code nowMillis} (0 when there is none). */
  public long oldestAgeMillis(long nowMillis) {
    return hints == 0 ? 0 : Math.max(0, nowMillis - oldestCreatedMillis);
  }
}
