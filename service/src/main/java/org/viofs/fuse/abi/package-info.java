/**
 * The FUSE wire ABI: one record per {@code fuse_*} struct of Linux {@code include/uapi/linux/fuse.h}
 * (FUSE 7.36), little-endian, each with {@code SIZE} and {@code encode}/{@code decode(ByteBuffer)};
 * requests ({@link org.viofs.fuse.abi.InHeader}, {@link org.viofs.fuse.abi.ReadIn},
 * {@link org.viofs.fuse.abi.WriteIn}, …, {@link org.viofs.fuse.abi.SetattrIn} with a builder) and replies
 * ({@link org.viofs.fuse.abi.OutHeader}, {@link org.viofs.fuse.abi.EntryOut},
 * {@link org.viofs.fuse.abi.AttrOut}, {@link org.viofs.fuse.abi.DirentPlus}, …). The hot requests also have
 * static {@code encode(ByteBuffer, …)} helpers that allocate nothing. The header sizes are defined once,
 * with the transport contract ({@link org.viofs.bridge.FuseTransport#IN_HEADER_BYTES},
 * {@link org.viofs.bridge.FuseTransport#OUT_HEADER_BYTES}), which the bridge needs too.
 *
 * <p>Decoders check structure (enough bytes for the record; a name inside the reply) and apply the
 * clamping part of the rule for host data ({@link org.viofs.fuse}); judging names and ids is the client's.
 * {@link org.viofs.fuse.abi.Wire} holds the shared checks and the name limits.
 */
package org.viofs.fuse.abi;
