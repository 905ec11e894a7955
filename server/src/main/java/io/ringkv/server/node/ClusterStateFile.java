package io.ringkv.server.node;

import io.ringkv.api.RingkvException;
import io.ringkv.membership.ClusterState;
import io.ringkv.membership.ClusterStateCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster state a node keeps in its data folder ({@code cluster.state}): the ring, the members
 * and their incarnations, as gossip last left them, so a restarted node serves from its own ring
 * at once, before and without any seed answering. Written whole on every membership change (a new
 * file, forced, then renamed over the old one), with a CRC32C, so a crash leaves the previous
 * state or the new one, never a torn one; a file that fails its check is ignored with a WARN and
 * the node starts as a fresh one would, from its seeds. {@link #saveLater} writes on a thread of
 * its own, so membership (which calls it holding its lock) never waits for the disk; only the
 * latest state waiting is written, and {@link #close} writes what is still waiting.
 */
final class ClusterStateFile implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterStateFile.class);
  static final String NAME = "cluster.state";

  private final Path file;
  private final Path temp;
  private final Object lock = new Object();
  private final java.util.concurrent.ExecutorService writer =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ringkv-cluster-state");
        t.setDaemon(true);
        return t;
      });
  private final java.util.concurrent.atomic.AtomicReference<ClusterState> waiting =
      new java.util.concurrent.atomic.AtomicReference<>();

  ClusterStateFile(Path dataDir) {
    this.file = dataDir.resolve(NAME);
    this.temp = dataDir.resolve(NAME + ".tmp");
  }

  /** The stored state, if there is a sound one. */
  Optional<ClusterState> load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read the stored cluster state {} ({}): starting without it", file,
          e.getMessage());
      return Optional.empty();
    }
    if (bytes.length < 4) {
      log.warn("the stored cluster state {} is truncated: starting without it", file);
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int crc = b.getInt();
    CRC32C check = new CRC32C();
    check.update(bytes, 4, bytes.length - 4);
    if ((int) check.getValue() != crc) {
      log.warn("the stored cluster state {} fails its checksum: starting without it", file);
      return Optional.empty();
    }
    try {
      byte[] body = new byte[bytes.length - 4];
      b.get(body);
      return Optional.of(ClusterStateCodec.decode(body));
    } catch (RingkvException e) {
      log.warn("the stored cluster state {} cannot be decoded ({}): starting without it", file,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Stores {@code state} soon, on the writer thread (a later call's state may replace it). */
  void saveLater(ClusterState state) {
    if (waiting.getAndSet(state) == null) {
      try {
        writer.execute(this::writeWaiting);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        writeWaiting(); // closing: write it here
      }
    }
  }

  private void writeWaiting() {
    ClusterState s = waiting.getAndSet(null);
    if (s != null) {
      save(s);
    }
  }

  /** Writes the state still waiting, then stops the writer thread. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeWaiting();
  }

  /** Stores {@code state} in place of the previous one; a failure is logged, not thrown. */
  void save(ClusterState state) {
    byte[] body = ClusterStateCodec.encode(state);
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteBuffer out = ByteBuffer.allocate(4 + body.length);
    out.putInt((int) crc.getValue()).put(body).flip();
    synchronized (lock) {
      try {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
          while (out.hasRemaining()) {
            ch.write(out);
          }
          ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        log.warn("cannot store the cluster state in {} ({}); a restart would start from the "
            + "previous one", file, e.getMessage());
      }
    }
  }
}
