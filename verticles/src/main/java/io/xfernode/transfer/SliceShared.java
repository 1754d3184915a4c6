package io.xfernode.transfer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.xfernode.element.NodeEnv;
import io.xfernode.pool.Pools;
import io.xfernode.transfer.msg.ControlMessage;
import io.xfernode.transport.SocketRegistry;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What every element of one {@link Slice} shares: the transfer, the node, the context they all run on,
 * the threads reserved for them, where reports go, the transfer's token, and what the source said
 * identifies its bytes.
 *
 * @param token  the transfer's 128-bit token: what every data connection of the transfer presents
 * @param resume      whether the transfer resumes (options.resume): a file sink keeps restart markers
 * @param bufferBytes what each of the transfer's buffers on this node may hold
 */
record SliceShared(String transferId, NodeEnv env, SocketRegistry sockets, Pools pools, Vertx vertx,
                   Context context, StreamThreads.Reservation threads, Consumer<ControlMessage> reporter,
                   byte[] token, AtomicReference<String> identity, boolean resume,
                   long bufferBytes) {
}
