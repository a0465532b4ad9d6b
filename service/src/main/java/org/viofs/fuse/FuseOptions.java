package org.viofs.fuse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link FuseClient} presents itself, and who hears about its requests. Immutable; build with
 * {@link #builder()} (every field has a default) or change a copy with {@link #toBuilder()}.
 */
public final class FuseOptions {
    private final int uid;
    private final int gid;
    private final int pid;
    private final int initFlags;
    private final int maxReadahead;
    private final RequestListener[] listeners;

    private FuseOptions(Builder b) {
        this.uid = b.uid;
        this.gid = b.gid;
        this.pid = b.pid;
        this.initFlags = b.initFlags;
        this.maxReadahead = b.maxReadahead;
        this.listeners = b.listeners.toArray(new RequestListener[0]);
    }

    /** uid/gid 0, this process's pid, {@link InitFlags#VIOFS_DEFAULT}, 128 KiB readahead, no listener. */
    public static FuseOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code fuse_in_header.uid}: the host owner of created files (the daemon creates as this user). */
    public int uid() {
        return uid;
    }

    /** {@code fuse_in_header.gid}. */
    public int gid() {
        return gid;
    }

    /** {@code fuse_in_header.pid}. */
    public int pid() {
        return pid;
    }

    /** {@link InitFlags} offered in INIT. */
    public int initFlags() {
        return initFlags;
    }

    /** Readahead offered in INIT, bytes. */
    public int maxReadahead() {
        return maxReadahead;
    }

    /** A builder holding these options (listeners included), to change a copy. */
    public Builder toBuilder() {
        Builder b = builder().owner(uid, gid).pid(pid).initFlags(initFlags).maxReadahead(maxReadahead);
        for (RequestListener l : listeners) {
            b.listener(l);
        }
        return b;
    }

    /** The listeners, in the order added (for the client). */
    RequestListener[] listeners() {
        return listeners.clone();
    }

    /** Collects the options. Not thread-safe. */
    public static final class Builder {
        private int uid;
        private int gid;
        private int pid = (int) ProcessHandle.current().pid();
        private int initFlags = InitFlags.VIOFS_DEFAULT;
        private int maxReadahead = 128 * 1024;
        private final List<RequestListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Header uid and gid of every request. */
        public Builder owner(int newUid, int newGid) {
            uid = newUid;
            gid = newGid;
            return this;
        }

        public Builder pid(int v) {
            pid = v;
            return this;
        }

        public Builder initFlags(int v) {
            initFlags = v;
            return this;
        }

        public Builder maxReadahead(int v) {
            maxReadahead = v;
            return this;
        }

        /** Adds a listener told about every request, INIT included; may be called more than once. */
        public Builder listener(RequestListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        public FuseOptions build() {
            return new FuseOptions(this);
        }
    }
}
