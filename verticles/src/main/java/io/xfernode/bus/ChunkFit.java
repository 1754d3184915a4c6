package io.xfernode.bus;

import io.xfernode.api.XferException;

/**
 * How large an {@code eventbus} chunk may be. A chunk travels base64-encoded in one bridge frame, and a
 * client's frame may not exceed {@code limits.maxRequestBytes}, so a chunk size that does not fit would
 * only fail later, mid-transfer, at the bridge.
 */
final class ChunkFit {

  /**
   * Room left in a frame for everything but the chunk: type, addresses, the token in the headers, seq, and
   * the backslashes SockJS's framing adds before each quote.
   */
  static final int ENVELOPE = 4096;

  private ChunkFit() {
  }

  /** @return the largest chunk whose base64 fits a frame of {@code maxFrameBytes} with its envelope */
  static int largest(int maxFrameBytes) {
    int room = maxFrameBytes - Math.min(ENVELOPE, maxFrameBytes / 2);
    return room / 4 * 3;
  }

  /**
   * @param element   the element's name, for the field in a refusal
   * @param requested the {@code chunkSize} the spec asked for; 0 for the default
   * @return the chunk size to use: the one requested, or the default made to fit
   * @throws XferException 400 naming {@code <element>.chunkSize} when the requested one cannot fit
   */
  static int fit(String element, int requested, int maxFrameBytes) {
    int largest = largest(maxFrameBytes);
    if (requested == 0) {
      return Math.min(EventBusSource.DEFAULT_CHUNK, largest);
    }
    if (requested > largest) {
      throw XferException.badRequest(element + ".chunkSize", requested + " bytes do not fit one bridge frame once "
        + "base64-encoded: limits.maxRequestBytes (" + maxFrameBytes + " bytes) allows at most " + largest);
    }
    return requested;
  }
}
