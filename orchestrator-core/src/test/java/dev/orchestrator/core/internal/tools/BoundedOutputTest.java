package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

    @Test
    void outputWithinTheLimitIsKeptWholeHoweverItIsChunked() {
        qt().forAll(strings().ascii().ofLengthBetween(0, 200), integers().between(1, 50)).checkAssert((text, chunk) -> {
            BoundedOutput output = new BoundedOutput(200);
            write(output, text, chunk);
            assertEquals(text, output.text());
        });
    }

    @Test
    void longerOutputKeepsExactlyTheFirstAndLastHalvesOfTheLimit() {
        qt().forAll(strings().ascii().ofLengthBetween(201, 2000), integers().between(1, 300)).checkAssert((text, chunk) -> {
            BoundedOutput output = new BoundedOutput(200);
            write(output, text, chunk);
            String expected = text.substring(0, 100) + "\n… [" + (text.length() - 200) + " bytes of output left out] …\n"
                    + text.substring(text.length() - 100);
            assertEquals(expected, output.text());
        });
    }

    private static void write(BoundedOutput output, String text, int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            output.write(bytes, offset, Math.min(chunk, bytes.length - offset));
        }
    }
}
