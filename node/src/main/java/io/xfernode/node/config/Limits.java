package io.xfernode.node.config;

/**
 * @param maxTransfers     concurrent transfers one node controls
 * @param maxBufferedBytes bytes all the transfers of the node may buffer together (resolved: never 0)
 * @param maxRequestBytes  the largest request or bridge frame
 */
public record Limits(int maxTransfers, long maxBufferedBytes, int maxRequestBytes) {
}
