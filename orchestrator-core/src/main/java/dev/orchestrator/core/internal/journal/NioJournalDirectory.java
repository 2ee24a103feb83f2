package dev.orchestrator.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The journal directory on the real file system, through {@link FileChannel}. */
public final class NioJournalDirectory implements JournalDirectory {

    // Windows cannot open a directory as a channel; NTFS makes its directory changes durable through its own log.
    private static final boolean CAN_FORCE_DIRECTORY = !System.getProperty("os.name").startsWith("Windows");

    /** The file the lock is taken on; it holds nothing. */
    public static final String LOCK_FILE = "journal.lock";

    private final Path dir;
    /** Opened for reading only: every change is refused, so a check cannot repair anything by mistake. */
    private final boolean readOnly;

    /** The directory {@code dir}, created if missing. */
    public NioJournalDirectory(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.readOnly = false;
    }

    private NioJournalDirectory(Path dir, boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
    }

    /**
     * The existing directory {@code dir}, for reading only: files are opened read-only and every change (create,
     * rename, delete, lock, write, truncate) throws {@link UnsupportedOperationException}.
     *
     * @throws IllegalArgumentException if {@code dir} is not a directory
     */
    public static NioJournalDirectory readOnly(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("there is no journal directory at " + dir.toAbsolutePath()
                    + ": give the directory a mission journals to (its .orchestrator directory)");
        }
        return new NioJournalDirectory(dir, true);
    }

    private void checkWritable(String what) {
        if (readOnly) {
            throw new UnsupportedOperationException("the journal in " + dir + " is open for reading only; " + what
                    + " would change it");
        }
    }

    @Override
    public List<String> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            files.forEach(p -> names.add(p.getFileName().toString()));
            return names;
        }
    }

    @Override
    public JournalFile open(String name) throws IOException {
        if (readOnly) {
            return new NioFile(dir.resolve(name), FileChannel.open(dir.resolve(name), StandardOpenOption.READ), true);
        }
        return new NioFile(dir.resolve(name), FileChannel.open(dir.resolve(name), StandardOpenOption.READ,
                StandardOpenOption.WRITE), false);
    }

    @Override
    public JournalFile create(String name) throws IOException {
        checkWritable("creating " + name);
        return new NioFile(dir.resolve(name), FileChannel.open(dir.resolve(name), StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW), false);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        checkWritable("renaming " + from);
        Files.move(dir.resolve(from), dir.resolve(to), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(String name) throws IOException {
        checkWritable("deleting " + name);
        Files.deleteIfExists(dir.resolve(name));
    }

    @Override
    public void force() throws IOException {
        checkWritable("forcing the directory");
        if (!CAN_FORCE_DIRECTORY) {
            return;
        }
        // Opening a directory for reading and forcing it is how the JDK reaches fsync(dirfd) on Linux and macOS.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public AutoCloseable lock() throws IOException {
        checkWritable("locking it");
        Path file = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            // Not through a link: a lock on a file elsewhere would not keep two writers of this directory apart.
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                throw new IllegalStateException("the journal's lock file " + file + " is a symbolic link (to "
                        + Files.readSymbolicLink(file) + "); the journal locks a plain file in its own directory "
                        + "only: delete the link and open the journal again", e);
            }
            throw e;
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException inThisProcess) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the journal in " + dir + " is in use by another run of its mission "
                    + "(a FileJournal open on it, in this process or another): wait for that run to end, or stop "
                    + "it, then try again; two writers would interleave their records");
        }
        return channel::close; // closing the channel releases the lock
    }

    @Override
    public String describe() {
        return dir.toAbsolutePath().toString();
    }

    /** A file of the directory. Like any {@link JournalFile}, used by one thread at a time, its owner's. */
    private static final class NioFile implements JournalFile {

        private final Path path;
        private final FileChannel channel;
        private final boolean readOnly;
        /**
         * The same file opened with O_DSYNC, once {@link #writeDurably} is first called; closed with the file. Opened
         * by name, as a segment is reopened after an interrupt: the journal's lock keeps that name to this file.
         */
        private FileChannel durable;

        NioFile(Path path, FileChannel channel, boolean readOnly) {
            this.path = path;
            this.channel = channel;
            this.readOnly = readOnly;
        }

        private void checkWritable() {
            if (readOnly) {
                throw new UnsupportedOperationException("this journal file is open for reading only");
            }
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            checkWritable();
            writeAll(channel, src, position);
        }

        /**
         * One {@code pwrite} on a descriptor opened with {@code O_DSYNC}, which returns once the bytes are durable
         * with the metadata needed to read them (the size, if it grew): what a {@code pwrite} and an
         * {@code fdatasync} do, in one system call. The kernel syncs only the range written, which is why the
         * caller must have nothing else unforced. See docs/wal-format.md, "Why O_DSYNC is enough".
         */
        @Override
        public void writeDurably(ByteBuffer src, long position) throws IOException {
            checkWritable();
            if (durable == null) {
                durable = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
            }
            writeAll(durable, src, position);
        }

        private static void writeAll(FileChannel to, ByteBuffer src, long position) throws IOException {
            long at = position;
            while (src.hasRemaining()) {
                at += to.write(src, at);
            }
        }

        @Override
        public void force() throws IOException {
            checkWritable();
            // false: fdatasync, which still makes a grown file's size durable, as it is needed to read the data
            channel.force(false);
        }

        @Override
        public void truncate(long size) throws IOException {
            checkWritable();
            channel.truncate(size);
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                if (durable != null) {
                    durable.close();
                }
            }
        }
    }
}
