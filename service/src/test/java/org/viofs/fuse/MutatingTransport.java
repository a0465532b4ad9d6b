package org.viofs.fuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.viofs.bridge.DeviceInfo;
import org.viofs.bridge.DirectReadTransport;
import org.viofs.bridge.ReplyHandler;
import org.viofs.fuse.abi.OutHeader;

/**
 * A transport whose "daemon" answers every request with a well-formed reply ({@link ValidReplies}),
 * damaged by a {@link ReplyMutator} with a given probability; INIT is always answered as virtiofsd 7.2
 * does, so a client can start. Replies never exceed the capacity offered (a device cannot write
 * more). It also offers the zero-copy READ: for a direct destination, half the READs go that way (the
 * data bytes of the damaged reply land in the destination, the first 16 bytes come back as the
 * header), the others as an ordinary exchange, as when the device refuses the IOCTL. Public for the
 * volume's fuzzer; one caller at a time (the seeded sequence must not depend on thread timing).
 */
public final class MutatingTransport implements DirectReadTransport {
    private final ValidReplies replies;
    private final ReplyMutator mutator;
    private final Random rnd;
    private final int mutatePercent;
    private volatile Opcode lastOpcode;
    private volatile String lastMutation = "none";
    private long exchanges;

    /**
     * @param rnd           the seeded source shared with {@code replies} and {@code mutator}
     * @param mutatePercent how many replies in a hundred are damaged
     */
    public MutatingTransport(ValidReplies replies, ReplyMutator mutator, Random rnd, int mutatePercent) {
        this.replies = replies;
        this.mutator = mutator;
        this.rnd = rnd;
        this.mutatePercent = mutatePercent;
    }

    /** Convenience: everything from one seed, {@code mutatePercent} of replies damaged. */
    public static MutatingTransport seeded(long seed, int mutatePercent) {
        Random r = new Random(seed);
        return new MutatingTransport(new ValidReplies(r), new ReplyMutator(r), r, mutatePercent);
    }

    /** The opcode of the last request answered. */
    public Opcode lastOpcode() {
        return lastOpcode;
    }

    /** What was done to the last reply ("none" when it went out intact). */
    public String lastMutation() {
        return lastMutation;
    }

    /** Requests answered so far. */
    public synchronized long exchanges() {
        return exchanges;
    }

    @Override
    public synchronized <T> T exchange(ByteBuffer[] request, int replyCapacity, ReplyHandler<T> handler) {
        ByteBuffer all = ScriptedTransport.bytesOf(request);
        Opcode op = Opcode.of(all.getInt(4));
        lastOpcode = op;
        exchanges++;
        ByteBuffer reply = replies.reply(all, replyCapacity);
        if (op != Opcode.INIT && rnd.nextInt(100) < mutatePercent) {
            reply = mutator.mutate(reply, replyCapacity);
            lastMutation = mutator.lastMutation();
        } else {
            lastMutation = "none";
        }
        return handler.handle(reply.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    @Override
    public synchronized <T> T exchangeRead(ByteBuffer[] request, ByteBuffer destination, ReadReplyHandler<T> handler) {
        if (rnd.nextBoolean()) {
            return exchange(request, OutHeader.SIZE + destination.remaining(), r -> handler.handle(r, false));
        }
        ByteBuffer[] whole = new ByteBuffer[1];
        exchange(request, OutHeader.SIZE + destination.remaining(), r -> {
            ByteBuffer copy = ByteBuffer.allocate(r.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            copy.put(r.duplicate()).flip();
            whole[0] = copy;
            return null;
        });
        ByteBuffer reply = whole[0];
        int headerBytes = Math.min(OutHeader.SIZE, reply.remaining());
        ByteBuffer data = reply.duplicate().position(headerBytes);
        ByteBuffer dst = destination.duplicate();
        data.limit(data.position() + Math.min(data.remaining(), dst.remaining()));
        dst.put(data);
        ByteBuffer header = reply.duplicate().limit(headerBytes).slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return handler.handle(header, true);
    }

    @Override
    public Boolean directReadAccepted() {
        return Boolean.TRUE;
    }

    @Override
    public void sendNoReply(ByteBuffer[] request) {
        // FORGET and BATCH_FORGET: the daemon takes them; nothing comes back
    }

    @Override
    public int maxInFlight() {
        return 1;
    }

    @Override
    public int maxRequestBytes() {
        return (1 << 20) + 4096;
    }

    @Override
    public int maxReplyBytes() {
        return (1 << 20) + 4096 + OutHeader.SIZE;
    }

    @Override
    public DeviceInfo device() {
        return new DeviceInfo("mutating", "fuzz", "-");
    }

    @Override
    public void close() {
    }
}
