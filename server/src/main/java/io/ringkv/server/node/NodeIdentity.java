package io.ringkv.server.node;

import io.ringkv.api.Actor;
import io.ringkv.api.ConfigException;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.versioning.Epochs;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A node's vector-clock actor and the counter its dots start above, kept in its data folder
 * ({@code node.identity}).
 *
 * <ul>
 *   <li>A data folder without the file (new, or emptied) starts a new epoch: a node that lost
 *       its disk never reissues a dot of its previous life (Riak's KV679).</li>
 *   <li>A node that restarts with its data keeps its epoch, and starts above a leased counter
 *       that was written down, durably, before its previous life issued anything: each life
 *       leases {@link #LEASE} counters ahead, so no restart can reissue a counter even for a
 *       key whose history was pruned or reaped.</li>
 * </ul>
 */
public record NodeIdentity(Actor actor, long dotCounterStart) {
  /** Counters each life may issue; 2^40 writes per life, 2^23 lives before the counter space ends. */
  public static final long LEASE = 1L << 40;
  static final String FILE = "node.identity";

  /** A node without durable data: a new epoch every start. */
  public static NodeIdentity ephemeral(NodeId id) {
    return new NodeIdentity(new Actor(id, Epochs.fresh()), 0);
  }

  /** Reads (or creates) the identity in {@code dataDir} and leases the next counter range. */
  public static NodeIdentity open(Path dataDir, NodeId id) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      long epoch;
      long start;
      if (Files.exists(file)) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(r);
        }
        String owner = p.getProperty("node.id");
        if (!id.value().equals(owner)) {
          throw new ConfigException("storage.dir", dataDir.toString(), "the data folder belongs to node '"
              + owner + "', not to '" + id + "': give each node its own folder");
        }
        try {
          epoch = Long.parseLong(p.getProperty("epoch"));
          start = Long.parseLong(p.getProperty("lease"));
        } catch (NumberFormatException | NullPointerException e) {
          throw new RingkvException(ErrorCode.CONFIG, file + " is damaged (epoch or lease unreadable);"
              + " remove it to start this node as a new actor");
        }
        if (start > Long.MAX_VALUE - 2 * LEASE) {
          epoch = Epochs.fresh();
          start = 0;
        }
      } else {
        epoch = Epochs.fresh();
        start = 0;
      }
      write(file, id, epoch, start + LEASE);
      return new NodeIdentity(new Actor(id, epoch), start);
    } catch (IOException e) {
      throw new RingkvException(ErrorCode.CONFIG, "cannot use data folder " + dataDir + ": " + e, e);
    }
  }

  private static void write(Path file, NodeId id, long epoch, long lease) throws IOException {
    Properties p = new Properties();
    p.setProperty("node.id", id.value());
    p.setProperty("epoch", Long.toString(epoch));
    p.setProperty("lease", Long.toString(lease));
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "ringkv node identity: the vector-clock actor of this data folder. Do not copy.");
    }
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      c.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot sync a directory; the file itself was synced.
    }
  }
}
