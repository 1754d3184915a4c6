package io.xfernode.node.config;

/**
 * @param maxTransfers     concurrent transfers one node controls
 * @param maxBufferedBytes bytes one transfer may buffer between two elements
 * @param maxRequestBytes  the largest request or bridge frame
 */
public record Limits(int maxTransfers, long maxBufferedBytes, int maxRequestBytes) {
}
