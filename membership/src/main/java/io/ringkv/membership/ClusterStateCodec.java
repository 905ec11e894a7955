package io.ringkv.membership;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gossip wire form of a {@link ClusterState}: a format byte, then the state's fields; the ring
 * is sent as an index into the member list per partition. Any transport can carry the bytes;
 * {@link #decode} refuses anything malformed with a clear error.
 */
public final class ClusterStateCodec {
  /**
   * 3 adds each member's readyFor and the pending ring; 2 added each member's client port;
   * formats 1 and 2 are still read.
   */
  private static final int FORMAT = 3;
  private static final int MAX_MEMBERS = 10_000;
  private static final int MAX_PARTITIONS = 65_536;

  private ClusterStateCodec() {}

  public static byte[] encode(ClusterState state) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(FORMAT);
      out.writeLong(state.version());
      out.writeLong(state.ringVersion());
      List<NodeId> ids = new ArrayList<>(state.members().keySet());
      out.writeInt(ids.size());
      for (NodeId id : ids) {
        Member m = state.members().get(id);
        out.writeUTF(id.value());
        out.writeUTF(m.host());
        out.writeShort(m.port());
        out.writeShort(m.httpPort());
        out.writeShort(m.clientPort());
        out.writeLong(m.incarnation());
        out.writeByte(m.status().ordinal());
        out.writeLong(m.heartbeat());
        out.writeLong(m.readyFor());
      }
      out.writeInt(state.ringOwners().size());
      for (NodeId owner : state.ringOwners()) {
        out.writeShort(ids.indexOf(owner));
      }
      out.writeLong(state.pendingVersion());
      out.writeInt(state.pendingOwners().size());
      for (NodeId owner : state.pendingOwners()) {
        out.writeShort(ids.indexOf(owner));
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen with an in-memory stream", e);
    }
  }

  public static ClusterState decode(byte[] data) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      int format = in.readUnsignedByte();
      if (format < 1 || format > FORMAT) {
        throw bad("unknown gossip format " + format);
      }
      long version = in.readLong();
      long ringVersion = in.readLong();
      int count = in.readInt();
      if (count < 0 || count > MAX_MEMBERS) {
        throw bad("member count " + count + " out of range");
      }
      Map<NodeId, Member> members = new LinkedHashMap<>();
      List<NodeId> ids = new ArrayList<>(count);
      Member.Status[] statuses = Member.Status.values();
      for (int i = 0; i < count; i++) {
        NodeId id = NodeId.of(in.readUTF());
        String host = in.readUTF();
        int port = in.readUnsignedShort();
        int httpPort = in.readUnsignedShort();
        int clientPort = format >= 2 ? in.readUnsignedShort() : 0;
        long incarnation = in.readLong();
        int status = in.readUnsignedByte();
        if (status >= statuses.length) {
          throw bad("unknown member status " + status);
        }
        long heartbeat = in.readLong();
        long readyFor = format >= 3 ? in.readLong() : 0;
        members.put(id, new Member(id, host, port, httpPort, clientPort, incarnation,
            statuses[status], heartbeat, readyFor));
        ids.add(id);
      }
      int partitions = in.readInt();
      if (partitions < 0 || partitions > MAX_PARTITIONS) {
        throw bad("partition count " + partitions + " out of range");
      }
      List<NodeId> owners = owners(in, partitions, ids);
      long pendingVersion = 0;
      List<NodeId> pending = List.of();
      if (format >= 3) {
        pendingVersion = in.readLong();
        int pendingPartitions = in.readInt();
        if (pendingPartitions < 0 || pendingPartitions > MAX_PARTITIONS) {
          throw bad("pending partition count " + pendingPartitions + " out of range");
        }
        pending = owners(in, pendingPartitions, ids);
      }
      if (in.available() > 0) {
        throw bad(in.available() + " trailing bytes");
      }
      return new ClusterState(version, members, owners, ringVersion, pending, pendingVersion);
    } catch (IOException e) {
      throw bad("truncated (" + e.getMessage() + ")");
    } catch (IllegalArgumentException | RingkvException e) {
      throw bad(e.getMessage());
    }
  }

  private static List<NodeId> owners(DataInputStream in, int partitions, List<NodeId> ids)
      throws IOException {
    List<NodeId> owners = new ArrayList<>(partitions);
    for (int i = 0; i < partitions; i++) {
      int index = in.readUnsignedShort();
      if (index >= ids.size()) {
        throw bad("ring owner index " + index + " names no member");
      }
      owners.add(ids.get(index));
    }
    return owners;
  }

  private static RingkvException bad(String why) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, "invalid gossip message: " + why);
  }
}
