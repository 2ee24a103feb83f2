package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ToolException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactedLinesTest {

    @Test
    void aRedactedLineWrittenBackGetsItsCredentialAndOneThatReadsLikeNoneIsRefused() {
        Redactor redactor = Redactor.of(Map.of(), List.of("s3cret-value"));
        String current = "A=1\r\nKEY=s3cret-value\r\nB=2\r\n";

        assertEquals("A=1\r\nKEY=s3cret-value\r\nB=3\r\n",
                RedactedLines.restore(redactor, "A=1\r\nKEY=[redacted]\r\nB=3\r\n", current, ".env", "content"));
        assertEquals("log(\"[redacted]\")\n", RedactedLines.restore(redactor, "log(\"[redacted]\")\n",
                "no credential here\n", "Log.java", "content"));
        ToolException refused = assertThrows(ToolException.class,
                () -> RedactedLines.restore(redactor, "A=1\nKEY=[redacted] # changed\n", current, ".env", "content"));
        assertTrue(refused.getMessage().startsWith("line 2 of content holds [redacted]"), refused.getMessage());
        ToolException ambiguous = assertThrows(ToolException.class, () -> RedactedLines.restore(
                Redactor.of(Map.of(), List.of("first-secret", "other-secret")), "KEY=[redacted]\n",
                "KEY=first-secret\nKEY=other-secret\n", ".env", "content"));
        assertTrue(ambiguous.getMessage().contains("more than one line"), ambiguous.getMessage());
    }
}
