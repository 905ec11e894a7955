package io.ringkv.resolver;

import io.ringkv.api.Bytes;
import io.ringkv.api.MergeResolver;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code set-union}: the Dynamo paper's shopping cart. A value is a set of items, one per line
 * of UTF-8 text ({@code '\n'} separates items; empty lines are not items; a {@code '\r'} stays
 * part of its item). Concurrent values merge into the union of their items, sorted by byte
 * order (which for UTF-8 is code-point order) without duplicates and joined by {@code '\n'}
 * with no trailing newline. A value already in that canonical form merges back to itself.
 * Splitting works on bytes, so a value that is not valid UTF-8 is kept byte for byte.
 *
 * <p><b>Concurrent removals are not preserved.</b> A removal is simply a value without the
 * item; the union cannot tell "never added" from "removed", so an item removed on one side of a
 * conflict comes back when the other side still holds it — deleted items can resurface, exactly
 * as in the Dynamo paper's cart. A removal made with the context of every sibling (after a read
 * that saw them all) supersedes them and sticks. Likewise a delete concurrent with an update
 * loses to the update (see {@link MergeResolver}); only when every sibling is a tombstone is the
 * result a delete.
 */
final class SetUnionResolver extends MergeResolver {
  private static final byte SEPARATOR = '\n';

  @Override
  protected Bytes merge(List<Bytes> values) {
    SortedSet<Bytes> items = new TreeSet<>();
    for (Bytes value : values) {
      items.addAll(items(value));
    }
    return join(items);
  }

  /** The items of one value, in the order they appear, empty lines skipped. */
  static List<Bytes> items(Bytes value) {
    byte[] bytes = value.toByteArray();
    List<Bytes> items = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == SEPARATOR) {
        if (i > start) {
          items.add(Bytes.of(bytes, start, i - start));
        }
        start = i + 1;
      }
    }
    return items;
  }

  /** The items joined by {@code '\n'}, in the collection's order. */
  static Bytes join(Collection<Bytes> items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean first = true;
    for (Bytes item : items) {
      if (!first) {
        out.write(SEPARATOR);
      }
      out.writeBytes(item.toByteArray());
      first = false;
    }
    return Bytes.of(out.toByteArray());
  }

  @Override
  public String toString() {
    return BuiltInResolvers.SET_UNION;
  }
}
