package io.ringkv.storage.log;

import io.ringkv.api.NodeId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a target's index at start-up: reads its watermark, then every record of its queue in
 * order, and indexes those past the watermark. A record that fails its checks is skipped with a
 * WARN; a file's records end at a write a crash tore (Chronicle's header of it never completed),
 * which is never read, and a WARN says so. Only sequences of records that pass count towards the
 * next sequence: a torn append was never acknowledged.
 */
final class HintRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(HintRecovery.class);
  /** Chronicle's header bits: a document whose write has not completed; a metadata document (not a record). */
  private static final int NOT_COMPLETE = 0x8000_0000;
  private static final int META_DATA = 0x4000_0000;

  /** What the store's start-up log line sums over all targets. */
  static final class Totals {
    long records;
    long corrupt;
    long torn;
  }

  /**
   * What a target's queue holds: {@code log} is open (not yet writing) when the queue has a folder,
   * null when it has none; {@code lastSequence} is the highest sequence of a sound record (0: none).
   */
  record Result(ChronicleLog log, long released, long lastSequence, long lastPosition,
      TreeMap<Integer, Long> lastSequenceOf) {
  }

  private final NodeId target;
  private final long released;
  private final PendingHints pending;
  private final Totals totals;
  private final TreeMap<Integer, Long> lastSequenceOf = new TreeMap<>();
  private final TreeMap<Integer, Long> endOf = new TreeMap<>();
  private long lastSequence;
  private long lastPosition;

  private HintRecovery(NodeId target, long released, PendingHints pending, Totals totals) {
    this.target = target;
    this.released = released;
    this.pending = pending;
    this.totals = totals;
  }

  static Result run(Path folder, NodeId target, LogOptions options, FileWarmer.Disk disk, PendingHints pending,
      Totals totals) throws IOException {
    long released = HintFiles.readReleased(folder);
    if (released < 0) {
      LOG.warn("the hint watermark {} is damaged: every hint the queue of {} holds will be handed off again",
          folder.resolve(HintFiles.RELEASED), target);
      released = 0;
    }
    Path queueDirectory = folder.resolve(HintFiles.QUEUE);
    if (!Files.isDirectory(queueDirectory)) {
      return new Result(null, released, 0, 0, new TreeMap<>());
    }
    ChronicleLog log = ChronicleLog.open(queueDirectory, options, disk, false);
    try {
      HintRecovery recovery = new HintRecovery(target, released, pending, totals);
      log.scan(0, Integer.MAX_VALUE, recovery::apply);
      recovery.reportTornTail(log.files());
      return new Result(log, released, recovery.lastSequence, recovery.lastPosition,
          recovery.lastSequencePerFile(log.files().list()));
    } catch (RuntimeException | Error e) {
      log.close();
      throw e;
    }
  }

  private void apply(long position, byte[] record, int length) {
    totals.records++;
    HintCodec.Header header;
    byte[] keyBytes;
    try {
      header = HintCodec.verify(record, length);
      keyBytes = HintCodec.keyBytes(record, header);
      if (header.sequence() <= lastSequence) {
        throw new CorruptRecordException("its sequence " + header.sequence() + " is not above the one before, "
            + lastSequence);
      }
    } catch (CorruptRecordException e) {
      totals.corrupt++;
      LOG.warn("skipping the damaged hint record for {} at {} ({} bytes): {}", target, describe(position),
          length, e.getMessage());
      return;
    }
    int cycle = CycleFiles.cycle(position);
    lastSequence = header.sequence();
    lastPosition = position;
    lastSequenceOf.put(cycle, lastSequence);
    endOf.put(cycle, CycleFiles.offset(position) + length);
    if (header.sequence() > released) {
      pending.add(header.sequence(), position, length, header.createdMillis(), new PendingHints.KeyBytes(keyBytes));
    }
  }

  /**
   * Logs the write a crash tore at the end of the newest file, if there is one: where the next
   * document's header would start (aligned to 4 bytes), Chronicle's header says "not complete" for
   * a data document (a metadata one, such as the end-of-file mark a roll leaves, holds no hint).
   */
  private void reportTornTail(CycleFiles files) throws IOException {
    NavigableSet<Integer> cycles = files.list();
    if (cycles.isEmpty() || !endOf.containsKey(cycles.last())) {
      return;
    }
    long next = (endOf.get(cycles.last()) + 3) & ~3L;
    byte[] header = files.read(CycleFiles.position(cycles.last(), next), 4);
    int word = header == null ? 0 : ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if ((word & NOT_COMPLETE) != 0 && (word & META_DATA) == 0) {
      totals.torn++;
      LOG.warn("skipping the torn hint record for {} at {}: its write was cut short by a crash, so it was never "
          + "acknowledged", target, describe(CycleFiles.position(cycles.last(), next + 4)));
    }
  }

  static String describe(long position) {
    return "queue file " + CycleFiles.cycle(position) + " offset " + CycleFiles.offset(position);
  }

  /**
   * The last sequence of every file: a file without a sound record takes the one of the file
   * before it, so it goes once everything before it is released.
   */
  private TreeMap<Integer, Long> lastSequencePerFile(NavigableSet<Integer> cycles) {
    TreeMap<Integer, Long> out = new TreeMap<>();
    long carried = 0;
    for (int cycle : cycles) {
      carried = lastSequenceOf.getOrDefault(cycle, carried);
      out.put(cycle, carried);
    }
    return out;
  }
}
