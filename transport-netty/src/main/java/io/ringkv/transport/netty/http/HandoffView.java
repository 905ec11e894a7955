package io.ringkv.transport.netty.http;

/**
 * The ring change in progress as the answering node sees it, under {@code "ring"} in
 * {@code /cluster/members}: {@code {"version": 5, "pendingVersion": 6, "handoff":
 * {"partitions": 16, "done": 4, "keys": 480, "bytes": 49152, "keysPerSecond": 800,
 * "etaMs": 3000, "waitingFor": ""}}} (pendingVersion 0 and no handoff when none).
 *
 * @param partitions partitions the answering node gains (per replication factor)
 * @param done those it holds in full
 * @param etaMs estimated time left (-1: unknown yet)
 */
public record HandoffView(long version, long pendingVersion, int partitions, int done, long keys,
    long bytes, long keysPerSecond, long etaMs, String waitingFor) {
  public static final HandoffView NONE = new HandoffView(0, 0, 0, 0, 0, 0, 0, 0, "");

  public HandoffView {
    waitingFor = waitingFor == null ? "" : waitingFor;
  }
}
