package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.api.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a full disk (a small tmpfs, where this test may mount one), a failed write leaves the old content intact. */
class DiskFullTest {

    @TempDir
    Path base;
    Path workspace;
    boolean mounted;

    @BeforeEach
    void mountASmallTmpfs() throws IOException, InterruptedException {
        workspace = Files.createDirectory(base.resolve("tmpfs"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", workspace.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here: " + output);
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException {
        if (mounted) {
            new ProcessBuilder("umount", workspace.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWriteThatFillsTheDiskFailsAsRetryableAndLeavesTheOldContent() throws IOException {
        Files.writeString(workspace.resolve("a.txt"), "the old content\n");
        Files.write(workspace.resolve("filler"), new byte[40 * 1024]);
        WriteFileTool write = new WriteFileTool(new FileVersions(), Redactor.NONE);
        String big = "x".repeat(48 * 1024);

        ToolException failed = assertThrows(ToolException.class, () -> write.execute(ParsedArguments.parse(
                "{\"path\":\"a.txt\",\"content\":\"" + big + "\"}"), new TaskToolContext(new ConfinedWorkspace(
                workspace), "t")));

        assertInstanceOf(ToolIoFailure.class, failed, failed.getMessage());
        assertEquals("the old content\n", Files.readString(workspace.resolve("a.txt")));
        try (Stream<Path> files = Files.list(workspace)) {
            assertEquals(List.of("a.txt", "filler"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "the temporary file is gone");
        }

        // once space is freed, the same call succeeds
        Files.delete(workspace.resolve("filler"));
        write.execute(ParsedArguments.parse("{\"path\":\"a.txt\",\"content\":\"" + big + "\"}"),
                new TaskToolContext(new ConfinedWorkspace(workspace), "t"));
        assertEquals(big, Files.readString(workspace.resolve("a.txt")));
    }
}
