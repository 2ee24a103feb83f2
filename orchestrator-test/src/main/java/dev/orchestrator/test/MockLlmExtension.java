package dev.orchestrator.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test what an agent test needs, fresh, and cleans up after it: a {@link MockLlmServer} (closed after
 * the test), a {@link WorkspaceDir @WorkspaceDir Path} and a {@link JournalDir @JournalDir Path} (deleted after the
 * test), and a {@link MissionRecorder} to give the mission as its listener.
 *
 * <pre>{@code
 * @ExtendWith(MockLlmExtension.class)
 * class MyAgentTest {
 *     @Test
 *     void writesTheFile(MockLlmServer server, @WorkspaceDir Path workspace, @JournalDir Path journal,
 *             MissionRecorder recorder) { ... }
 * }
 * }</pre>
 */
public final class MockLlmExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            MockLlmExtension.class);

    /** Created by JUnit. */
    public MockLlmExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == MockLlmServer.class || type == MissionRecorder.class || type == Path.class
                && (parameter.isAnnotated(WorkspaceDir.class) || parameter.isAnnotated(JournalDir.class));
    }

    @Override
    // getOrComputeIfAbsent, which JUnit 6 deprecates for computeIfAbsent: that one is not in JUnit 5, and the kit
    // runs with the JUnit of the project that tests with it, 5.13 or later
    @SuppressWarnings("deprecation")
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the store of the test's own context closes what it holds when the test ends
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (parameter.getParameter().getType() == MissionRecorder.class) {
            return store.getOrComputeIfAbsent(MissionRecorder.class, key -> new MissionRecorder(),
                    MissionRecorder.class);
        }
        if (parameter.getParameter().getType() == MockLlmServer.class) {
            return store.getOrComputeIfAbsent(MockLlmServer.class, key -> new MockLlmServer(), MockLlmServer.class);
        }
        Directories directories = store.getOrComputeIfAbsent(Directories.class, key -> Directories.create(),
                Directories.class);
        return parameter.isAnnotated(WorkspaceDir.class) ? directories.workspace() : directories.journal();
    }

    /** One temporary directory per test holding the workspace and, beside it, the journal. */
    record Directories(Path root, Path workspace, Path journal) implements AutoCloseable {

        static Directories create() {
            try {
                // real paths: the engine resolves links, and a test comparing paths should see what it sees
                Path root = Files.createTempDirectory("orchestrator-test-").toRealPath();
                return new Directories(root, Files.createDirectory(root.resolve("workspace")),
                        root.resolve("journal"));
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a temporary workspace", e);
            }
        }

        @Override
        public void close() throws IOException {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }
}
