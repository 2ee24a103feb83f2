package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * File I/O that cannot be led out of the workspace by a link swapped in after {@link ConfinedWorkspace} checked the
 * path: it walks from the root's directory handle one name at a time, never following a link
 * ({@code openat(..., O_NOFOLLOW)} through {@link SecureDirectoryStream} where the JDK has it), so a directory or
 * file replaced by a link in between is refused rather than followed. Writes are atomic: a temporary file in the
 * same directory, forced, then renamed over the target with the target's permissions, so a failure (a full disk)
 * leaves the old content.
 *
 * <p>Where the platform has no secure directory streams the same steps run on paths with {@code NOFOLLOW_LINKS},
 * which guards the last name only.
 */
final class ConfinedIo {

    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);

    /**
     * The temporary file of a write ends with this. Its name is fixed per target, not random: a JVM killed in the
     * middle of a write leaves it behind, and the resumed mission's re-run of that write (writes are idempotent)
     * overwrites and renames it away instead of leaving one more. Walks never show it.
     */
    static final String TEMPORARY_SUFFIX = ".orchestrator-tmp";

    private ConfinedIo() {
    }

    /**
     * The bytes of {@code file} (resolved by the workspace), at most {@code maxBytes}.
     *
     * @throws ToolException if it is not a regular file inside, is larger, or cannot be read
     */
    static byte[] read(ConfinedWorkspace workspace, Path file, long maxBytes, String shownAs) {
        Path real = workspace.realPathInside(file, shownAs);
        return inParent(workspace, real, shownAs, (dir, name) -> {
            BasicFileAttributes attributes = attributes(dir, name);
            if (attributes == null || !attributes.isRegularFile()) {
                throw new ToolException(shownAs + " is not a file" + (attributes != null && attributes.isDirectory()
                        ? ": it is a directory; use list_files" : ": list_files shows what exists"));
            }
            if (attributes.size() > maxBytes) {
                throw tooLarge(shownAs, maxBytes);
            }
            try (SeekableByteChannel channel = dir == null ? Files.newByteChannel(name, READ)
                    : dir.newByteChannel(name, READ)) {
                return readAll(channel, maxBytes, shownAs);
            }
        });
    }

    /** The bytes of {@code file} as {@link #read} gives them, or null when nothing is there. */
    static byte[] readIfExists(ConfinedWorkspace workspace, Path file, long maxBytes, String shownAs) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? read(workspace, file, maxBytes, shownAs) : null;
    }

    /**
     * Replaces the content of {@code file} (resolved by the workspace) atomically, creating missing parent
     * directories; an existing file keeps its permissions.
     *
     * @throws ToolIoFailure if the write fails; the old content is then intact
     */
    static void write(ConfinedWorkspace workspace, Path file, byte[] content, String shownAs) {
        Path real = workspace.realPathInside(file, shownAs);
        createParents(workspace, real, shownAs);
        inParent(workspace, real, shownAs, (dir, name) -> {
            BasicFileAttributes existing = attributes(dir, name);
            if (existing != null && !existing.isRegularFile()) {
                throw new ToolException(shownAs + " is " + (existing.isDirectory() ? "a directory" : "not a file")
                        + ": give a file path");
            }
            Set<PosixFilePermission> permissions = existing == null ? null : permissions(dir, name);
            Path temp = name.resolveSibling("." + name.getFileName() + TEMPORARY_SUFFIX);
            boolean renamed = false;
            try {
                try (SeekableByteChannel channel = dir == null ? Files.newByteChannel(temp, CREATE)
                        : dir.newByteChannel(temp, CREATE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    if (channel instanceof FileChannel fileChannel) {
                        fileChannel.force(true);
                    }
                }
                if (permissions != null) {
                    view(dir, temp).setPermissions(permissions);
                }
                if (dir == null) {
                    Files.move(temp, name, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    dir.move(temp, dir, name);
                }
                renamed = true;
                return null;
            } finally {
                if (!renamed) {
                    deleteQuietly(dir, temp);
                }
            }
        });
    }

    /**
     * What a directory's walk found: a regular file, or a link (never followed).
     *
     * @param path its real path in the workspace
     * @param isLink whether it is a symbolic link
     * @param size its size in bytes (of the link itself for a link)
     */
    record Entry(Path path, boolean isLink, long size) {
    }

    /**
     * The regular files and the links under {@code directory}, at most {@code maxDepth} levels down, skipping
     * {@code skipped} names and whatever is off limits. Links are reported, never followed.
     */
    static List<Entry> walk(ConfinedWorkspace workspace, Path directory, int maxDepth, Set<String> skipped,
            String shownAs) {
        Path real = workspace.realPathInside(directory, shownAs);
        List<Entry> entries = new ArrayList<>();
        Walk walk = new Walk(entries, skipped, workspace);
        try {
            if (real.equals(workspace.root())) {
                try (DirectoryStream<Path> top = Files.newDirectoryStream(real)) {
                    walk.directory(top, real, maxDepth);
                }
            } else {
                inParent(workspace, real, shownAs, (dir, name) -> {
                    try (DirectoryStream<Path> stream = dir == null ? Files.newDirectoryStream(name)
                            : dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                        walk.directory(stream, real, maxDepth);
                    }
                    return null;
                });
            }
        } catch (IOException e) {
            throw new ToolIoFailure("cannot list " + shownAs + ": " + reason(e));
        }
        return entries;
    }

    /** The recursive part of {@link #walk}: each directory is opened through its parent's handle, without links. */
    private record Walk(List<Entry> entries, Set<String> skipped, ConfinedWorkspace workspace) {

        void directory(DirectoryStream<Path> stream, Path real, int depthLeft) throws IOException {
            if (depthLeft <= 0) {
                return;
            }
            for (Path child : stream) {
                Path name = child.getFileName();
                Path path = real.resolve(name);
                if (skipped.contains(name.toString()) || name.toString().endsWith(TEMPORARY_SUFFIX)
                        || workspace.isOffLimits(path)) {
                    continue;
                }
                BasicFileAttributes attributes = stream instanceof SecureDirectoryStream<Path> secure
                        ? secure.getFileAttributeView(name, java.nio.file.attribute.BasicFileAttributeView.class,
                                LinkOption.NOFOLLOW_LINKS).readAttributes()
                        : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isSymbolicLink()) {
                    entries.add(new Entry(path, true, attributes.size()));
                } else if (attributes.isRegularFile()) {
                    entries.add(new Entry(path, false, attributes.size()));
                } else if (attributes.isDirectory() && depthLeft > 1) {
                    try (DirectoryStream<Path> sub = stream instanceof SecureDirectoryStream<Path> secure
                            ? secure.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)
                            : Files.newDirectoryStream(path)) {
                        directory(sub, path, depthLeft - 1);
                    } catch (FileSystemException e) {
                        // it vanished or became a link since it was listed: what is not there is not listed
                    }
                }
            }
        }
    }

    /** An action on the name {@code name} in the directory {@code dir} (null: use {@code name} as a whole path). */
    private interface InDirectory<T> {
        T apply(SecureDirectoryStream<Path> dir, Path name) throws IOException;
    }

    /**
     * Opens each directory from the root down to {@code real}'s parent without following links and runs
     * {@code action} on the last name there.
     */
    private static <T> T inParent(ConfinedWorkspace workspace, Path real, String shownAs, InDirectory<T> action) {
        Path relative = workspace.root().relativize(real);
        if (relative.toString().isEmpty()) {
            throw new ToolException(shownAs + " is the workspace root: give a path below it");
        }
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        try {
            DirectoryStream<Path> top = Files.newDirectoryStream(workspace.root());
            if (!(top instanceof SecureDirectoryStream<Path> secure)) {
                top.close();
                return action.apply(null, real);
            }
            opened.add(secure);
            SecureDirectoryStream<Path> dir = secure;
            for (int i = 0; i < relative.getNameCount() - 1; i++) {
                dir = dir.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
                opened.add(dir);
            }
            return action.apply(dir, relative.getFileName());
        } catch (NoSuchFileException e) {
            throw new ToolException(shownAs + " does not exist: list_files shows what exists");
        } catch (FileSystemException e) {
            if (isLinkRefusal(e)) {
                throw new ToolException("'" + shownAs + "' changed into a symbolic link while it was being opened; "
                        + "links are never followed here: use paths that stay inside");
            }
            throw new ToolIoFailure("cannot access " + shownAs + ": " + reason(e));
        } catch (IOException e) {
            throw new ToolIoFailure("cannot access " + shownAs + ": " + reason(e));
        } catch (UncheckedIOException e) {
            throw new ToolIoFailure("cannot access " + shownAs + ": " + reason(e.getCause()));
        } finally {
            for (SecureDirectoryStream<Path> dir : opened.reversed()) {
                try {
                    dir.close();
                } catch (IOException ignored) {
                    // closing a directory handle we only read from loses nothing
                }
            }
        }
    }

    /** Creates the missing directories above {@code real}, each only after its own parent was confirmed inside. */
    private static void createParents(ConfinedWorkspace workspace, Path real, String shownAs) {
        Path parent = real.getParent();
        List<Path> missing = new ArrayList<>();
        while (parent != null && !parent.equals(workspace.root()) && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
            missing.addFirst(parent);
            parent = parent.getParent();
        }
        for (Path directory : missing) {
            workspace.realPathInside(directory, shownAs);
            try {
                Files.createDirectory(directory);
            } catch (FileAlreadyExistsException e) {
                // made by someone else in the meantime: the walk that follows checks what it is
            } catch (IOException e) {
                throw new ToolIoFailure("cannot create the directory of " + shownAs + ": " + reason(e));
            }
        }
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name)
            throws IOException {
        try {
            return dir == null ? Files.readAttributes(name, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : dir.getFileAttributeView(name, java.nio.file.attribute.BasicFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Set<PosixFilePermission> permissions(SecureDirectoryStream<Path> dir, Path name)
            throws IOException {
        PosixFileAttributeView view = view(dir, name);
        return view == null ? null : view.readAttributes().permissions();
    }

    private static PosixFileAttributeView view(SecureDirectoryStream<Path> dir, Path name) {
        return dir == null ? Files.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                : dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static byte[] readAll(SeekableByteChannel channel, long maxBytes, String shownAs) throws IOException {
        long size = channel.size();
        if (size > maxBytes) {
            throw tooLarge(shownAs, maxBytes);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // a file that shrank while being read ends early; what was read is returned
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    private static ToolException tooLarge(String shownAs, long maxBytes) {
        return new ToolException(shownAs + " is larger than " + maxBytes / 1024
                + " KiB: search it, or show parts of it with run_command (head, sed -n)");
    }

    private static void deleteQuietly(SecureDirectoryStream<Path> dir, Path name) {
        try {
            if (dir == null) {
                Files.deleteIfExists(name);
            } else {
                dir.deleteFile(name);
            }
        } catch (IOException ignored) {
            // the temporary file was never created, or the disk is failing: the target is untouched either way
        }
    }

    /** ELOOP or ENOTDIR: a link appeared where the check saw a directory or a file. */
    private static boolean isLinkRefusal(FileSystemException e) {
        String reason = String.valueOf(e.getReason());
        return reason.contains("symbolic link") || reason.contains("Not a directory");
    }

    /** The cause's message without absolute paths, which the model must not see. */
    static String reason(Throwable e) {
        if (e instanceof FileSystemException fs) {
            return fs.getReason() == null ? e.getClass().getSimpleName() : fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
