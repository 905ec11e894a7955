package io.ringkv.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock that moves only when told to: for deterministic tests. Thread-safe. */
public final class ManualClock extends Clock {
  private volatile long millis;

  public ManualClock(long startMillis) {
    this.millis = startMillis;
  }

  public ManualClock() {
    this(1_700_000_000_000L);
  }

  public void advance(Duration d) {
    setMillis(millis + d.toMillis());
  }

  public synchronized void setMillis(long newMillis) {
    if (newMillis < millis) {
      throw new IllegalArgumentException("a manual clock never goes back: " + newMillis + " < " + millis);
    }
    millis = newMillis;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
