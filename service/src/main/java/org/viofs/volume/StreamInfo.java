package org.viofs.volume;

/**
 * One named stream of a file: WinFsp's {@code FSP_FSCTL_STREAM_INFO}.
 *
 * @param streamName the bare name without colons; "" for the main {@code ::$DATA} stream
 */
public record StreamInfo(String streamName, long streamSize, long streamAllocationSize) {
}
