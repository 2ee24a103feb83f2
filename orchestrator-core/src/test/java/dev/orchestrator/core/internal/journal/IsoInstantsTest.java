package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    @Test
    void readsEveryInstantAsInstantParseDoes() {
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        qt().withExamples(20_000).withFixedSeed(7)
                .forAll(longs().between(min, max), integers().between(0, 999_999_999), integers().between(0, 3))
                .checkAssert((seconds, nanos, precision) -> {
                    // Instant.toString writes 0, 3, 6 or 9 fraction digits depending on the nanos: cover each.
                    int n = switch (precision) {
                        case 0 -> 0;
                        case 1 -> nanos / 1_000_000 * 1_000_000;
                        case 2 -> nanos / 1_000 * 1_000;
                        default -> nanos;
                    };
                    Instant instant = Instant.ofEpochSecond(seconds, n);
                    assertEquals(instant, IsoInstants.parse(instant.toString()));
                });
    }

    @Test
    void writesEveryInstantAsToStringDoes() {
        qt().withExamples(20_000).withFixedSeed(11)
                .forAll(longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                        integers().between(0, 999_999_999), integers().between(0, 4))
                .checkAssert((seconds, nanos, kind) -> {
                    // mostly the years 0000 to 9999 that the fast path writes, and their edges; now and then any
                    long s = switch (kind) {
                        case 0 -> seconds;
                        case 1 -> Instant.parse("0000-01-01T00:00:00Z").getEpochSecond() + seconds % 2;
                        case 2 -> Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() - seconds % 2 + 1;
                        default -> Math.floorMod(seconds, 253_402_300_800L + 62_167_219_200L) - 62_167_219_200L;
                    };
                    int n = switch (nanos % 4) {
                        case 0 -> 0;
                        case 1 -> nanos / 1_000_000 * 1_000_000;
                        case 2 -> nanos / 1_000 * 1_000;
                        default -> nanos;
                    };
                    Instant instant = Instant.ofEpochSecond(s, n);
                    assertEquals(instant.toString(), IsoInstants.format(instant));
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-28T00:00:00.1Z", "2026-11-28T00:00:00.12345Z", "+10000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z", "2026-06-30T23:59:60Z", "2026-11-28T00:00:00.000000000Z", "2026-11-28T24:00:00Z",
            "2026-11-28T00:00:00.Z"})
    void otherFormsReadAsInstantParseReadsThem(String text) {
        assertEquals(Instant.parse(text), IsoInstants.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-28T25:00:00Z",
            "2026-11-28 00:00:00Z", "2026-1a-28T00:00:00Z", "yesterday"})
    void invalidFormsAreRefused(String text) {
        assertThrows(DateTimeException.class, () -> IsoInstants.parse(text));
    }
}
