package dev.orchestrator.core.internal.journal;

import java.time.Instant;

/**
 * Reads and writes the ISO-8601 instants every event carries, as {@link Instant#toString()} and the journal write
 * them ({@code 2026-11-28T00:00:00.123456789Z}), several times faster than a {@code DateTimeFormatter}: parsing them
 * was more than half of the time it takes to replay a journal. Any other form goes to {@link Instant#parse}. A
 * class of its own, without Jackson, so that the {@link EventReader} loads no databind class; and without {@code
 * LocalDate}, whose first use initialises the JDK's date formatters (some 70 classes, regular expressions among
 * them), which a fresh JVM's resume paid at the first instant it read.
 */
final class IsoInstants {

    /** The days from 0000-01-01 to 1970-01-01. */
    private static final long DAYS_0000_TO_1970 = 719_528;
    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    /** The instants {@link #format} writes itself: years 0000 to 9999, which need no sign and four digits. */
    private static final long MIN_FAST_SECOND = epochDay(0, 1, 1) * 86_400;
    private static final long MAX_FAST_SECOND = epochDay(9999, 12, 31) * 86_400 + 86_399;

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
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0) {
            // a leap second, a sign, a stray character, February 30th: the slow path decides, or refuses
            return Instant.parse(text);
        }
        long epochDay = epochDay(year, month, day);
        int nanos = n == 20 ? 0 : fraction * SCALE[n - 21];
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /** The days from 1970-01-01 to a valid date of the years 0 to 9999, as {@code LocalDate.toEpochDay}. */
    private static long epochDay(int year, int month, int day) {
        long total = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400
                + (367 * month - 362) / 12 + day - 1;
        if (month > 2) {
            total -= isLeap(year) ? 1 : 2;
        }
        return total - DAYS_0000_TO_1970;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeap(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
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
        // The civil date of an epoch day in the proleptic Gregorian calendar (Howard Hinnant's civil_from_days),
        // computed here because LocalDate would load the JDK's date formatters (see the class comment).
        long fromMarch0000 = epochDay + DAYS_0000_TO_1970 - 60;
        long era = Math.floorDiv(fromMarch0000, 146_097);
        long dayOfEra = fromMarch0000 - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        put(into, 0, year, 4);
        into[4] = '-';
        put(into, 5, month, 2);
        into[7] = '-';
        put(into, 8, day, 2);
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
