package org.viofs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.viofs.bridge.vhostuser.VhostUserTransport;
import org.viofs.fuse.DirentPlus;
import org.viofs.fuse.FuseClient;
import org.viofs.fuse.FuseFlags;
import org.viofs.fuse.FuseLimits;
import org.viofs.fuse.OpenOut;
import org.viofs.fuse.StatfsOut;

import com.google.gson.GsonBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code viofs probe}: INIT against a virtiofsd and print what the share offers (FUSE version, I/O
 * sizes, the root listing, statfs). With no {@code --socket} it starts its own daemon on a temporary
 * directory holding a few sample files.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Connect to a virtiofsd (our own, on sample files or --dir, or a running one with --socket), do FUSE INIT "
                + "and show what the share offers.")
public final class ProbeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    ShareOptions share = new ShareOptions();

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    /** What the probe found; also the JSON shape. */
    record Result(int fuseMajor, int fuseMinor, int maxWrite, int maxPages, List<Entry> entries, Statfs statfs) {
    }

    record Entry(String name, long size, int mode) {
    }

    record Statfs(long blocks, long bfree, long bsize) {
    }

    @Override
    public void run() {
        Result r;
        try (ShareSession s = ShareSession.open(share, VhostUserTransport.Config.defaults(), ProbeCommand::sampleFiles)) {
            r = probe(s.client());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(r));
        } else {
            out.printf("FUSE %d.%d, max_write %d bytes, max_pages %d%n", r.fuseMajor(), r.fuseMinor(), r.maxWrite(),
                    r.maxPages());
            out.printf("statfs: %d blocks of %d bytes, %d free%n", r.statfs().blocks(), r.statfs().bsize(),
                    r.statfs().bfree());
            out.printf("root (%d entries):%n", r.entries().size());
            for (Entry e : r.entries()) {
                out.printf("  %s %12d  %s%n", modeString(e.mode()), e.size(), e.name());
            }
        }
        out.flush();
    }

    static Result probe(FuseClient c) {
        FuseLimits l = c.limits();
        List<Entry> entries = new ArrayList<>();
        OpenOut dir = c.opendir(FuseFlags.ROOT_ID);
        try {
            long cookie = 0;
            while (true) {
                List<DirentPlus> page = c.readdirplus(FuseFlags.ROOT_ID, dir.fh(), cookie);
                if (page.isEmpty()) {
                    break;
                }
                for (DirentPlus d : page) {
                    cookie = d.dirent().off();
                    long node = d.entry().nodeId();
                    if (node != 0) {
                        // the listing took a lookup reference on every entry: give it back at once
                        c.nodes().forgetLater(node, 1);
                    }
                    String name = d.dirent().name();
                    if (!name.equals(".") && !name.equals("..")) {
                        entries.add(new Entry(name, d.entry().attr().size(), d.entry().attr().mode()));
                    }
                }
            }
        } finally {
            c.releasedir(FuseFlags.ROOT_ID, dir.fh());
            c.nodes().flush();
        }
        entries.sort(Comparator.comparing(Entry::name));
        StatfsOut st = c.statfs(FuseFlags.ROOT_ID);
        return new Result(l.major(), l.minor(), l.maxWrite(), l.maxPages(), entries,
                new Statfs(st.blocks(), st.bfree(), st.bsize()));
    }

    /** `-rw-r--r--` style, with d, l or - for the type. */
    static String modeString(int mode) {
        char type = switch (mode & 0170000) {
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0100000 -> '-';
            default -> '?';
        };
        StringBuilder b = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        return b.toString();
    }

    /** The sample files a probe of a new temporary share shows. */
    static final Map<String, String> SAMPLE_TEXT = Map.of(
            "hello.txt", "Hello from viofs over virtio-fs.\n",
            "readme.md", "# A sample share\nMade by viofs probe.\n");

    static void sampleFiles(Path dir) {
        try {
            for (Map.Entry<String, String> e : SAMPLE_TEXT.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
            Files.write(dir.resolve("data.bin"), new byte[64 * 1024]);
            Path tool = dir.resolve("tool.sh");
            Files.writeString(tool, "#!/bin/sh\necho viofs\n");
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectory(dir.resolve("docs"));
            Files.writeString(dir.resolve("docs").resolve("note.txt"), "inside a subdirectory\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample files into " + dir, e);
        }
    }
}
