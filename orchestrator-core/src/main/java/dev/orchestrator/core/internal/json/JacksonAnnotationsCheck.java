package dev.orchestrator.core.internal.json;

import java.util.Optional;

/**
 * Checks that the {@code jackson-annotations} on the class path is one Jackson 3 can run with. Jackson 3 keeps the
 * 2.x annotations artifact, so an application on Jackson 2 (Spring Boot 3.x and most others) brings its own older
 * version, Maven's nearest-wins picks it, and Jackson 3 would die with a {@code NoClassDefFoundError} at the first
 * event it writes. This turns that into one line that says what to change in the build.
 */
public final class JacksonAnnotationsCheck {

    /** The oldest jackson-annotations that Jackson 3 runs with; its newest class is the marker. */
    static final String NEEDED = "2.21";
    static final String MARKER = "com.fasterxml.jackson.annotation.JsonSerializeAs";

    private static volatile boolean passed;

    private JacksonAnnotationsCheck() {
    }

    /**
     * Throws when the class path holds a jackson-annotations older than {@link #NEEDED}.
     *
     * @throws IllegalStateException saying which version was found and how to fix the build
     */
    public static void require() {
        if (passed) {
            return;
        }
        problem(JacksonAnnotationsCheck.class.getClassLoader()).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
        passed = true;
    }

    /** The problem with the jackson-annotations that {@code loader} sees, if there is one. */
    static Optional<String> problem(ClassLoader loader) {
        if (present(MARKER, loader)) {
            return Optional.empty();
        }
        String found = present("com.fasterxml.jackson.annotation.JsonProperty", loader)
                ? "jackson-annotations " + version(loader) + " is on the class path" : "jackson-annotations is missing";
        return Optional.of(found + ", and Orchestrator for Java (through Jackson 3) needs " + NEEDED + " or newer: "
                + "import dev.orchestrator:orchestrator-bom in <dependencyManagement> (type pom, scope import) before "
                + "any other BOM, or declare com.fasterxml.jackson.core:jackson-annotations " + NEEDED + "+ in your "
                + "own <dependencyManagement>; Jackson 2 runs with the newer annotations too");
    }

    private static boolean present(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String version(ClassLoader loader) {
        try {
            Package annotations = Class.forName("com.fasterxml.jackson.annotation.JsonProperty", false, loader)
                    .getPackage();
            String version = annotations == null ? null : annotations.getImplementationVersion();
            return version == null ? "(an older version)" : version;
        } catch (ClassNotFoundException | LinkageError e) {
            return "(an older version)";
        }
    }
}
