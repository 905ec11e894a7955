package io.ringkv.storage.log;

import io.ringkv.api.Bytes;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The put path's merge of an incoming sibling set into a key's stored record, decided on the
 * versions' metadata alone: the stored record's versions are decoded without their values, the
 * survivors are picked by the rules of {@link Siblings#merge}, and the new record is encoded with the
 * surviving stored values copied straight from the stored record's bytes. The outcome is exactly
 * {@code stored.merge(incoming)} and its {@link RecordCodec#encodePut(byte[], Siblings) encoding}.
 *
 * <p>It handles the common case only and answers {@code null} for the rest, which the caller then
 * merges the general way: a stored record that does not decode (the caller reports it), two versions
 * with the same dot (the same-dot tie-break compares values), and an incoming set none of whose
 * versions survives (the caller must tell whether anything changed at all).
 */
final class RecordMerge {
  private static final Comparator<RecordCodec.VersionBits> DOT_ORDER =
      Comparator.comparing(RecordCodec.VersionBits::dot);

  /** The merged set and its PUT record. */
  record Merged(Siblings siblings, byte[] record) {
  }

  private RecordMerge() {
  }

  /** The PUT record for a key stored nowhere yet: the merge of nothing with {@code incoming} is {@code incoming}. */
  static Merged fresh(byte[] keyBytes, Siblings incoming) {
    return new Merged(incoming, RecordCodec.encodePut(keyBytes, incoming));
  }

  /**
   * Merges {@code incoming} (not empty) into a stored record of which only the first bytes,
   * {@code head}, have been read ({@code length} is the whole record's), when the incoming set
   * supersedes every stored version: then the merged set is {@code incoming} itself and no stored
   * value is needed. Null in every other case, and when the stored versions' metadata does not
   * lie wholly in {@code head}: the caller reads the whole record and calls {@link #merge}.
   *
   * <p>The stored record's checksum is not checked here (it covers the values, which are not
   * read). That loses nothing: a damaged record is dropped from the merge in any case (the general
   * path reads it as empty), and so it is here, where every stored version is superseded; a
   * record whose metadata decodes to anything else goes on to the whole-record path, which checks.
   */
  static Merged mergeOnMetadata(byte[] keyBytes, byte[] head, int length, Siblings incoming) {
    RecordCodec.VersionBits[] old;
    try {
      old = RecordCodec.decodeVersionBitsOfHead(head, length);
    } catch (CorruptRecordException e) {
      return null;
    }
    if (old == null) {
      return null;
    }
    List<Versioned<Bytes>> in = incoming.versions();
    RecordCodec.VersionBits[] all = withIncoming(old, in);
    if (all == null) {
      return null;
    }
    int total = all.length;
    for (int i = 0; i < total; i++) {
      if (superseded(all, i) != (i < old.length)) {
        return null; // a stored version survives, or an incoming one does not
      }
    }
    return new Merged(incoming, RecordCodec.encodePut(keyBytes, incoming));
  }

  /**
   * Merges {@code incoming} (not empty) into the stored record (checksum not yet verified), or
   * returns null when the general merge must decide (see the class comment).
   */
  static Merged merge(byte[] keyBytes, byte[] stored, int length, Siblings incoming) {
    RecordCodec.VersionBits[] old;
    try {
      if (RecordCodec.verify(stored, length) != RecordCodec.TYPE_PUT) {
        return null;
      }
      old = RecordCodec.decodeVersionBits(stored, length);
    } catch (CorruptRecordException e) {
      return null;
    }
    List<Versioned<Bytes>> in = incoming.versions();
    RecordCodec.VersionBits[] all = withIncoming(old, in);
    if (all == null) {
      return null;
    }
    int total = all.length;
    // With every dot distinct, Siblings.of keeps exactly the versions no other version's context covers.
    RecordCodec.VersionBits[] kept = new RecordCodec.VersionBits[total];
    int keptCount = 0;
    int keptOld = 0;
    for (int i = 0; i < total; i++) {
      if (!superseded(all, i)) {
        if (i < old.length) {
          keptOld++;
        }
        kept[keptCount++] = all[i];
      }
    }
    int keptNew = keptCount - keptOld;
    if (keptNew == 0) {
      return null;
    }
    Arrays.sort(kept, 0, keptCount, DOT_ORDER);
    byte[] record = RecordCodec.encodePut(keyBytes, kept, keptCount);
    Siblings merged;
    if (keptOld == 0 && keptNew == in.size()) {
      merged = incoming;
    } else {
      List<Versioned<Bytes>> versions = new ArrayList<>(keptCount);
      int next = 0;
      for (int i = 0; i < keptCount; i++) {
        RecordCodec.VersionBits v = kept[i];
        if (v.valueArray() == stored) {
          versions.add(v.toVersioned());
        } else {
          // An incoming version: reuse it as it came (its dot is unique, so find it by dot).
          while (!in.get(next).dot().equals(v.dot())) {
            next++;
          }
          versions.add(in.get(next));
        }
      }
      merged = Siblings.of(versions);
    }
    return new Merged(merged, record);
  }

  /** The stored versions followed by the incoming ones; null when two of them share a dot. */
  private static RecordCodec.VersionBits[] withIncoming(RecordCodec.VersionBits[] old, List<Versioned<Bytes>> in) {
    int total = old.length + in.size();
    RecordCodec.VersionBits[] all = Arrays.copyOf(old, total);
    for (int i = 0; i < in.size(); i++) {
      all[old.length + i] = RecordCodec.VersionBits.of(in.get(i));
    }
    for (int i = 0; i < total; i++) {
      for (int j = i + 1; j < total; j++) {
        if (all[i].dot().equals(all[j].dot())) {
          return null;
        }
      }
    }
    return all;
  }

  /** True when another version's context covers version {@code i}'s dot. */
  private static boolean superseded(RecordCodec.VersionBits[] all, int i) {
    for (int j = 0; j < all.length; j++) {
      if (j != i && all[j].context().covers(all[i].dot())) {
        return true;
      }
    }
    return false;
  }
}
