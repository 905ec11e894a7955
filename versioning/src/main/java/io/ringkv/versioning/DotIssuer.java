package io.ringkv.versioning;

import io.ringkv.api.Actor;
import io.ringkv.api.Dot;
import io.ringkv.api.VectorClock;
import java.util.Objects;

/**
 * Issues the dots of one actor (a node in one epoch). Each dot's counter is above everything the
 * coordinator knows of the key and above every dot this issuer handed out before, for any key.
 * Because that last bound lives as long as the actor, a dot is never issued twice, even for a
 * key whose history no longer names the actor (its entry pruned, or the key's tombstones
 * removed).
 *
 * <p>The bound lives in memory: a process that restarts with the same data folder, and so the
 * same epoch, must resume from a persisted high-water mark ({@link #DotIssuer(Actor, long)}) or
 * start a new epoch. Thread-safe.
 */
public final class DotIssuer {
  private final Actor actor;
  private long lastIssued;

  /** An issuer that has issued nothing yet: a fresh actor. */
  public DotIssuer(Actor actor) {
    this(actor, 0L);
  }

  /**
   * An issuer that resumes after {@code lastIssued}: every dot it issues has a higher counter.
   *
   * @param lastIssued a bound at or above every counter the actor issued before, >= 0
   */
  public DotIssuer(Actor actor, long lastIssued) {
    this.actor = Objects.requireNonNull(actor, "actor");
    if (lastIssued < 0) {
      throw new IllegalArgumentException("lastIssued must be >= 0, was " + lastIssued);
    }
    this.lastIssued = lastIssued;
  }

  public Actor actor() {
    return actor;
  }

  /**
   * The next dot: {@code (actor, max(knowledge.counter(actor), lastIssued()) + 1)}, remembered as
   * the last one issued.
   *
   * @param knowledge what the coordinator knows of the key: the clock of its local siblings
   *     merged with the incoming client context
   * @throws IllegalStateException when the actor's counters are exhausted (start a new epoch)
   */
  public synchronized Dot next(VectorClock knowledge) {
    long seen = Math.max(knowledge.counter(actor), lastIssued);
    if (seen == Long.MAX_VALUE) {
      throw new IllegalStateException("actor " + actor + " has no counter left above " + seen
          + ": start a new epoch");
    }
    lastIssued = seen + 1;
    return new Dot(actor, lastIssued);
  }

  /** The counter of the last dot issued (or the resume point), 0 before the first. */
  public synchronized long lastIssued() {
    return lastIssued;
  }

  @Override
  public String toString() {
    return "DotIssuer[" + actor + ", lastIssued=" + lastIssued() + "]";
  }
}
