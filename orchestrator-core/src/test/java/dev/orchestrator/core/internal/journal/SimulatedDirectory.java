package dev.orchestrator.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * A journal directory in memory that remembers what a crash could lose: the bytes written to each file since it was
 * last forced, and the creations, renames and deletions since the directory was last forced. {@link #crash} gives a
 * state the directory could be in after a power loss at this moment, as a new directory to recover.
 */
final class SimulatedDirectory implements JournalDirectory {

    static final int SECTOR = 512;

    /** What a crash keeps of what was not forced. */
    sealed interface Crash {
        /** Nothing: every file as last forced, the directory as last forced. */
        record DropUnsynced() implements Crash {
        }

        /** Everything: what a process kill leaves, as the operating system still writes its page cache. */
        record KeepAll() implements Crash {
        }

        /**
         * Some: a prefix of each file's unforced writes, the next one with a random subset of its sectors (so holes
         * are possible), and a prefix of the directory's unforced operations.
         */
        record KeepPart(Random random) implements Crash {
        }
    }

    /** A file's content, which several names may share for a moment (rename) or no name (deleted). */
    private static final class Node {
        byte[] durable = new byte[0];
        byte[] current = new byte[0];
        final List<Op> pending = new ArrayList<>();
    }

    private sealed interface Op {
        record Write(long position, byte[] bytes) implements Op {
        }

        record Truncate(long size) implements Op {
        }
    }

    private sealed interface DirOp {
        record Link(String name, Node node) implements DirOp {
        }

        record Unlink(String name) implements DirOp {
        }
    }

    private final Map<String, Node> names = new HashMap<>();
    private final Map<String, Node> durableNames = new HashMap<>();
    private final List<DirOp> pendingDirOps = new ArrayList<>();
    private int openFiles;
    private boolean locked;
    private int fileForces;
    private int failForcesFrom = Integer.MAX_VALUE;
    private volatile Runnable beforeEachOperation = () -> { };
    private BiConsumer<String, byte[]> afterFileForce = (name, bytes) -> { };
    private WriteListener beforeFileWrite = (name, position, bytes, durableSize) -> { };

    /** Told of a file write before it is applied. */
    @FunctionalInterface
    interface WriteListener {
        /** {@code durableSize}: the file's size as last forced. */
        void beforeWrite(String name, long position, byte[] bytes, int durableSize);
    }

    // -- test controls --------------------------------------------------------------------------------------------

    /**
     * Runs {@code hook} before every write, force, truncation and directory change, holding this directory's lock.
     * Can be changed while a hook holds the lock.
     */
    void beforeEachOperation(Runnable hook) {
        this.beforeEachOperation = hook;
    }

    /** Calls {@code listener} with a file's name and durable bytes after every file force, holding the lock. */
    synchronized void afterFileForce(BiConsumer<String, byte[]> listener) {
        this.afterFileForce = listener;
    }

    /** Calls {@code listener} before every file write, holding the lock. */
    synchronized void beforeFileWrite(WriteListener listener) {
        this.beforeFileWrite = listener;
    }

    /** Makes the {@code n}th file force from now on (1 = the next) and every later one fail. */
    synchronized void failFileForcesFrom(int n) {
        failForcesFrom = fileForces + n;
    }

    synchronized int fileForces() {
        return fileForces;
    }

    /** Open files, and the lock if taken: a closed log leaves 0. */
    synchronized int openFiles() {
        return openFiles + (locked ? 1 : 0);
    }

    /** The names of the files, sorted. */
    synchronized List<String> names() {
        return names.keySet().stream().sorted().toList();
    }

    /** What reads of {@code name} see now. */
    synchronized byte[] bytes(String name) {
        return names.get(name).current.clone();
    }

    /** Every file's bytes, for comparing two states. */
    synchronized Map<String, List<Byte>> contents() {
        Map<String, List<Byte>> all = new LinkedHashMap<>();
        for (String name : names()) {
            byte[] bytes = names.get(name).current;
            List<Byte> list = new ArrayList<>(bytes.length);
            for (byte b : bytes) {
                list.add(b);
            }
            all.put(name, list);
        }
        return all;
    }

    /** Replaces {@code name}'s content, durably, as damage or an earlier state would. */
    synchronized void put(String name, byte[] bytes) {
        Node node = names.computeIfAbsent(name, n -> new Node());
        durableNames.put(name, node);
        node.current = bytes.clone();
        node.durable = bytes.clone();
        node.pending.clear();
    }

    /** A state this directory could be in after a power loss now, as a new directory. */
    synchronized SimulatedDirectory crash(Crash crash) {
        Map<Node, Node> after = new IdentityHashMap<>();
        SimulatedDirectory copy = new SimulatedDirectory();
        int keptDirOps = switch (crash) {
            case Crash.DropUnsynced d -> 0;
            case Crash.KeepAll k -> pendingDirOps.size();
            case Crash.KeepPart(Random random) -> random.nextInt(pendingDirOps.size() + 1);
        };
        Map<String, Node> namespace = new HashMap<>(durableNames);
        for (DirOp op : pendingDirOps.subList(0, keptDirOps)) {
            switch (op) {
                case DirOp.Link(String name, Node node) -> namespace.put(name, node);
                case DirOp.Unlink(String name) -> namespace.remove(name);
            }
        }
        namespace.forEach((name, node) -> {
            Node survivor = after.computeIfAbsent(node, n -> {
                Node s = new Node();
                s.current = survivingBytes(n, crash);
                s.durable = s.current;
                return s;
            });
            copy.names.put(name, survivor);
            copy.durableNames.put(name, survivor);
        });
        return copy;
    }

    private static byte[] survivingBytes(Node node, Crash crash) {
        return switch (crash) {
            case Crash.DropUnsynced d -> node.durable.clone();
            case Crash.KeepAll k -> node.current.clone();
            case Crash.KeepPart(Random random) -> {
                int whole = random.nextInt(node.pending.size() + 1);
                byte[] bytes = node.durable.clone();
                for (int i = 0; i < node.pending.size() && i <= whole; i++) {
                    Op op = node.pending.get(i);
                    if (i < whole) {
                        bytes = apply(bytes, op);
                    } else if (op instanceof Op.Write(long position, byte[] written)) {
                        bytes = applySomeSectors(bytes, position, written, random);
                    }
                }
                yield bytes;
            }
        };
    }

    private static byte[] apply(byte[] bytes, Op op) {
        return switch (op) {
            case Op.Write(long position, byte[] written) -> {
                byte[] grown = Arrays.copyOf(bytes, (int) Math.max(bytes.length, position + written.length));
                System.arraycopy(written, 0, grown, (int) position, written.length);
                yield grown;
            }
            case Op.Truncate(long size) -> Arrays.copyOf(bytes, (int) Math.min(bytes.length, size));
        };
    }

    /** A write of which only some sectors (aligned in the file) reached the disk: the rest keep their old bytes. */
    private static byte[] applySomeSectors(byte[] bytes, long position, byte[] written, Random random) {
        byte[] result = bytes;
        long end = position + written.length;
        for (long sector = position / SECTOR * SECTOR; sector < end; sector += SECTOR) {
            if (random.nextBoolean()) {
                long from = Math.max(sector, position);
                long to = Math.min(sector + SECTOR, end);
                result = apply(result, new Op.Write(from,
                        Arrays.copyOfRange(written, (int) (from - position), (int) (to - position))));
            }
        }
        return result;
    }

    // -- JournalDirectory -----------------------------------------------------------------------------------------

    @Override
    public synchronized List<String> list() {
        return new ArrayList<>(names.keySet());
    }

    @Override
    public synchronized JournalFile open(String name) throws IOException {
        Node node = names.get(name);
        if (node == null) {
            throw new java.nio.file.NoSuchFileException(name);
        }
        openFiles++;
        return new SimulatedFile(name, node);
    }

    @Override
    public synchronized JournalFile create(String name) throws IOException {
        beforeEachOperation.run();
        if (names.containsKey(name)) {
            throw new java.nio.file.FileAlreadyExistsException(name);
        }
        Node node = new Node();
        names.put(name, node);
        pendingDirOps.add(new DirOp.Link(name, node));
        openFiles++;
        return new SimulatedFile(name, node);
    }

    @Override
    public synchronized void rename(String from, String to) throws IOException {
        beforeEachOperation.run();
        Node node = names.remove(from);
        if (node == null) {
            throw new java.nio.file.NoSuchFileException(from);
        }
        names.put(to, node);
        pendingDirOps.add(new DirOp.Unlink(from));
        pendingDirOps.add(new DirOp.Link(to, node));
    }

    @Override
    public synchronized void delete(String name) {
        beforeEachOperation.run();
        if (names.remove(name) != null) {
            pendingDirOps.add(new DirOp.Unlink(name));
        }
    }

    @Override
    public synchronized void force() {
        beforeEachOperation.run();
        durableNames.clear();
        durableNames.putAll(names);
        pendingDirOps.clear();
    }

    @Override
    public synchronized AutoCloseable lock() {
        if (locked) {
            throw new IllegalStateException("simulated-dir is locked");
        }
        locked = true;
        return () -> {
            synchronized (this) {
                locked = false;
            }
        };
    }

    @Override
    public String describe() {
        return "simulated-dir";
    }

    private final class SimulatedFile implements JournalFile {
        private final String name;
        private final Node node;
        private boolean closed;

        SimulatedFile(String name, Node node) {
            this.name = name;
            this.node = node;
        }

        @Override
        public long size() throws IOException {
            synchronized (SimulatedDirectory.this) {
                checkOpen();
                return node.current.length;
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (SimulatedDirectory.this) {
                checkOpen();
                if (position >= node.current.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), node.current.length - position);
                dst.put(node.current, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (SimulatedDirectory.this) {
                checkOpen();
                beforeEachOperation.run();
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                beforeFileWrite.beforeWrite(name, position, bytes, node.durable.length);
                Op op = new Op.Write(position, bytes);
                node.current = apply(node.current, op);
                node.pending.add(op);
            }
        }

        @Override
        public void force() throws IOException {
            synchronized (SimulatedDirectory.this) {
                checkOpen();
                beforeEachOperation.run();
                if (++fileForces >= failForcesFrom) {
                    throw new IOException("simulated EIO on fsync of " + name);
                }
                node.durable = node.current.clone();
                node.pending.clear();
                afterFileForce.accept(name, node.durable.clone());
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (SimulatedDirectory.this) {
                checkOpen();
                beforeEachOperation.run();
                Op op = new Op.Truncate(size);
                node.current = apply(node.current, op);
                node.pending.add(op);
            }
        }

        @Override
        public void close() {
            synchronized (SimulatedDirectory.this) {
                if (!closed) {
                    closed = true;
                    openFiles--;
                }
            }
        }

        private void checkOpen() throws IOException {
            if (closed) {
                throw new IOException(name + " is closed");
            }
        }
    }
}
