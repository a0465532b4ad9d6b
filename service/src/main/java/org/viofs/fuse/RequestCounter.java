package org.viofs.fuse;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link RequestListener} that counts requests per opcode, for tests and
 * {@code viofs bench --workload ops}. Register it with {@link FuseOptions.Builder#listener}.
 * Thread-safe.
 */
public final class RequestCounter implements RequestListener {
    private final LongAdder[] byOpcode = new LongAdder[Opcode.values().length];

    public RequestCounter() {
        for (int i = 0; i < byOpcode.length; i++) {
            byOpcode[i] = new LongAdder();
        }
    }

    @Override
    public void requestSent(Opcode opcode) {
        byOpcode[opcode.ordinal()].increment();
    }

    /** Requests with this opcode sent so far. */
    public long count(Opcode opcode) {
        return byOpcode[opcode.ordinal()].sum();
    }

    /** All requests sent so far. */
    public long total() {
        long sum = 0;
        for (LongAdder a : byOpcode) {
            sum += a.sum();
        }
        return sum;
    }

    /** Requests sent so far, by opcode, in opcode order; opcodes never sent are left out. */
    public Map<Opcode, Long> snapshot() {
        Map<Opcode, Long> out = new EnumMap<>(Opcode.class);
        for (Opcode op : Opcode.values()) {
            long n = byOpcode[op.ordinal()].sum();
            if (n != 0) {
                out.put(op, n);
            }
        }
        return out;
    }

    /** Starts counting from zero. */
    public void reset() {
        for (LongAdder a : byOpcode) {
            a.reset();
        }
    }
}
