package dev.orchestrator.core.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JacksonAnnotationsCheckTest {

    @Test
    void theAnnotationsThisBuildBringsPass() {
        assertEquals(Optional.empty(), JacksonAnnotationsCheck.problem(getClass().getClassLoader()));
    }

    @Test
    void annotationsWithoutTheNewestClassAreNamedWithTheirVersionAndTheFix() {
        // what an application on Jackson 2.18 looks like to Jackson 3: the annotations are there, the newest is not
        ClassLoader older = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(JacksonAnnotationsCheck.MARKER)) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };

        String message = JacksonAnnotationsCheck.problem(older).orElseThrow();

        assertTrue(message.startsWith("jackson-annotations 2.23 is on the class path"), message);
        assertTrue(message.contains("needs 2.21 or newer: import dev.orchestrator:orchestrator-bom in "
                + "<dependencyManagement>"), message);
        assertTrue(!message.contains("\n"), "one line");
    }
}
