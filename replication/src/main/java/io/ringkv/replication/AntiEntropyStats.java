package io.ringkv.replication;

/**
 * Anti-entropy counters of one node since it started.
 *
 * @param rounds rounds finished (periodic and asked for)
 * @param exchanges exchanges with a peer, finished or failed
 * @param failedExchanges exchanges that failed (peer down, timeout, trees being rebuilt)
 * @param keysRepaired keys that one side or both lacked part of and now hold in full
 * @param bytesRepaired value bytes moved to repair them
 * @param tombstonesReaped keys whose tombstones this node removed once every replica held them
 * @param running whether a round is running now
 * @param treeEntries entries in this node's hash trees (about its key count)
 */
public record AntiEntropyStats(long rounds, long exchanges, long failedExchanges,
    long keysRepaired, long bytesRepaired, long tombstonesReaped, boolean running,
    long treeEntries) {}
