package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfinedWorkspaceTest {

    @TempDir
    Path root;
    Path inside;
    Path outside;
    ConfinedWorkspace workspace;

    @BeforeEach
    void setUp() throws IOException {
        inside = Files.createDirectory(root.resolve("ws"));
        outside = Files.createDirectory(root.resolve("outside"));
        Files.createDirectories(inside.resolve("src/main"));
        workspace = new ConfinedWorkspace(inside);
    }

    @Test
    void relativePathsInsideResolveUnderTheRoot() {
        assertEquals(inside.resolve("src/main/A.java"), workspace.resolve("src/main/A.java"));
        assertEquals(inside.resolve("src/A.java"), workspace.resolve("src/main/../A.java"));
        assertEquals(inside.resolve("new/dir/file.txt"), workspace.resolve("new/dir/file.txt"));
        assertEquals("src/main/A.java", workspace.relativize(inside.resolve("src/main/A.java")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "src/../../x", "..", "src/main/../../../outside/y"})
    void dotDotEscapesAreRefused(String path) {
        ToolException refused = assertThrows(ToolException.class, () -> workspace.resolve(path));
        assertTrue(refused.getMessage().contains("outside the workspace"), refused.getMessage());
    }

    @Test
    void absolutePathsAreRefusedEvenWhenTheyPointInside() {
        ToolException refused = assertThrows(ToolException.class,
                () -> workspace.resolve(inside.resolve("src").toString()));
        assertTrue(refused.getMessage().contains("is absolute"), refused.getMessage());
    }

    @Test
    void symbolicLinksThatLeadOutAreRefusedForExistingAndNewFiles() throws IOException {
        Files.writeString(outside.resolve("secret.txt"), "s");
        Files.createSymbolicLink(inside.resolve("link-dir"), outside);
        Files.createSymbolicLink(inside.resolve("link-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(inside.resolve("dangling"), outside.resolve("not-yet"));

        for (String path : new String[] {"link-dir", "link-dir/secret.txt", "link-dir/new.txt", "link-file",
                "dangling", "dangling/x"}) {
            ToolException refused = assertThrows(ToolException.class, () -> workspace.resolve(path), path);
            assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
        }
    }

    @Test
    void symbolicLinksThatStayInsideAreAllowed() throws IOException {
        Files.createSymbolicLink(inside.resolve("alias"), inside.resolve("src"));
        assertEquals(inside.resolve("alias/main"), workspace.resolve("alias/main"));
    }

    @Test
    void emptyAndNulPathsAreRefusedWithAHint() {
        assertTrue(assertThrows(ToolException.class, () -> workspace.resolve(" ")).getMessage().contains("empty"));
        assertTrue(assertThrows(ToolException.class, () -> workspace.resolve("a\0b")).getMessage().contains("NUL"));
    }
}
