package org.viofs.volume;

/**
 * Where ReadDirectory puts its entries, in the volume's own stable order. The WinFsp binding backs
 * it with {@code FspFileSystemAddDirInfo} over the caller's buffer; the conformance facade backs it
 * with a bounded list.
 */
@FunctionalInterface
public interface DirSink {
    /**
     * @return false when the entry did not fit: the volume stops and does not count it as returned
     */
    boolean add(DirInfo entry);
}
