package dev.orchestrator.core.internal.journal;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads and writes the ISO-8601 instants every event carries, as {@link Instant#toString()} and the journal write
 * them ({@code 2026-11-28T00:00:00.123456789Z}), several times faster than a {@code DateTimeFormatter}: parsing them
 * was more than half of the time it takes to replay a journal. Any other form goes to {@link Instant#parse}. A
 * class of its own, without Jackson, so that the {@link EventReader} loads no databind class.
 */
final class IsoInstants {

    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    /** The instants {@link #format} writes itself: years 0000 to 9999, which need no sign and four digits. */
    private static final long MIN_FAST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long MAX_FAST_SECOND = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400 + 86_399;

    private IsoInstants() {
    }

    /** {@code text} as an instant, like {@link Instant#parse}. */
    static Instant parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || n == 21 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z'
                || n > 20 && text.charAt(19) != '.') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int fraction = n == 20 ? 0 : digits(text, 20, n - 21);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || fraction < 0) {
            return Instant.parse(text); // a leap second, a sign, a stray character: the slow path decides
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        int nanos = n == 20 ? 0 : fraction * SCALE[n - 21];
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /**
     * {@code instant} as {@link Instant#toString()} writes it (0, 3, 6 or 9 fraction digits, as the nanoseconds
     * need), several times faster than the {@code DateTimeFormatter} behind {@code toString}, whose cost was a sixth
     * of encoding an event. Years outside 0000 to 9999 (a sign, more digits) go to {@code toString}.
     */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_FAST_SECOND || seconds > MAX_FAST_SECOND) {
            return instant.toString();
        }
        char[] into = new char[30];
        long epochDay = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        put(into, 0, date.getYear(), 4);
        into[4] = '-';
        put(into, 5, date.getMonthValue(), 2);
        into[7] = '-';
        put(into, 8, date.getDayOfMonth(), 2);
        into[10] = 'T';
        put(into, 11, secondOfDay / 3_600, 2);
        into[13] = ':';
        put(into, 14, secondOfDay / 60 % 60, 2);
        into[16] = ':';
        put(into, 17, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        int at = 19;
        if (nanos != 0) {
            into[at++] = '.';
            if (nanos % 1_000_000 == 0) {
                put(into, at, nanos / 1_000_000, 3);
                at += 3;
            } else if (nanos % 1_000 == 0) {
                put(into, at, nanos / 1_000, 6);
                at += 6;
            } else {
                put(into, at, nanos, 9);
                at += 9;
            }
        }
        into[at++] = 'Z';
        return new String(into, 0, at);
    }

    /** Writes {@code value} as {@code count} decimal digits, zero-padded, at {@code at}. */
    private static void put(char[] into, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The {@code count} decimal digits at {@code from}, or -1 if one of them is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
