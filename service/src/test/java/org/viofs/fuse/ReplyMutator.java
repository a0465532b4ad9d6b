package org.viofs.fuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.viofs.fuse.abi.OutHeader;

/**
 * Damages a well-formed FUSE reply the way a broken or hostile host might: flips bits, writes
 * boundary values into header and body fields, truncates, extends, or lies in {@code len},
 * {@code error} and {@code unique}. Seeded, so a seed and an iteration number reproduce a case; each
 * call says what it did ({@link #lastMutation()}). Public for the volume's fuzzer. Not thread-safe.
 */
public final class ReplyMutator {
    private static final int[] INTERESTING = {0, 1, -1, 16, 17, 0x7fff_ffff, 0x8000_0000, 0xffff_fff0, 255, 256,
        4096, 999_999_999, 1_000_000_000, 65536, 0x0101_0101};
    private final Random rnd;
    private String last = "none";

    public ReplyMutator(Random rnd) {
        this.rnd = rnd;
    }

    /** What the last {@link #mutate} did, for a divergence report. */
    public String lastMutation() {
        return last;
    }

    /**
     * A damaged copy of {@code reply} (position to limit), at most {@code capacity} bytes long, as a
     * device can never write more than the reply capacity offered. Little-endian, position 0.
     */
    public ByteBuffer mutate(ByteBuffer reply, int capacity) {
        byte[] b = new byte[reply.remaining()];
        reply.duplicate().get(b);
        int rounds = 1 + rnd.nextInt(3);
        StringBuilder what = new StringBuilder();
        for (int r = 0; r < rounds; r++) {
            b = once(b, what);
        }
        last = what.toString();
        int n = Math.min(b.length, capacity);
        return ByteBuffer.wrap(b, 0, n).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] once(byte[] b, StringBuilder what) {
        int kind = rnd.nextInt(9);
        switch (kind) {
            case 0 -> {
                if (b.length > 0) {
                    int i = rnd.nextInt(b.length);
                    int bit = rnd.nextInt(8);
                    b[i] ^= (byte) (1 << bit);
                    what.append("flip byte ").append(i).append(" bit ").append(bit).append("; ");
                }
            }
            case 1, 2 -> {
                if (b.length >= 4) {
                    int at = rnd.nextInt(b.length / 4) * 4;
                    int v = INTERESTING[rnd.nextInt(INTERESTING.length)];
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
                    what.append("u32 at ").append(at).append(" = ").append(Integer.toUnsignedString(v)).append("; ");
                }
            }
            case 3 -> {
                int n = rnd.nextInt(b.length + 1);
                what.append("truncate ").append(b.length).append(" -> ").append(n).append("; ");
                return java.util.Arrays.copyOf(b, n);
            }
            case 4 -> {
                int extra = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 300);
                byte[] c = java.util.Arrays.copyOf(b, b.length + extra);
                for (int i = b.length; i < c.length; i++) {
                    c[i] = (byte) rnd.nextInt(256);
                }
                what.append("extend by ").append(extra).append("; ");
                return c;
            }
            case 5 -> header(b, 0, "len", what);
            case 6 -> header(b, 4, "error", what);
            case 7 -> header(b, 8, "unique", what);
            default -> {
                if (b.length > OutHeader.SIZE) {
                    for (int i = OutHeader.SIZE; i < b.length; i++) {
                        b[i] = (byte) rnd.nextInt(256);
                    }
                    what.append("random body; ");
                }
            }
        }
        return b;
    }

    private void header(byte[] b, int at, String field, StringBuilder what) {
        if (b.length < at + 4) {
            return;
        }
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int v = switch (field) {
            case "len" -> rnd.nextBoolean() ? h.getInt(0) + rnd.nextInt(33) - 16 : INTERESTING[rnd.nextInt(INTERESTING.length)];
            case "error" -> rnd.nextBoolean() ? -rnd.nextInt(5000) : rnd.nextInt(200) - 100;
            default -> h.getInt(at) + (rnd.nextBoolean() ? 1 : -1);
        };
        h.putInt(at, v);
        what.append(field).append(" = ").append(v).append("; ");
    }
}
