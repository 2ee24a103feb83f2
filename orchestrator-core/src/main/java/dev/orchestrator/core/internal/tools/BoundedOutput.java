package dev.orchestrator.core.internal.tools;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects a command's output in bounded memory: the first and the last part are kept, the middle is dropped and
 * replaced by a marker that says how much was left out. The end of a build log holds the error, the beginning
 * what ran, so both ends are worth more than the middle.
 */
final class BoundedOutput {

    private final int headLimit;
    private final byte[] tail;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private int tailStart;
    private int tailLength;
    private long dropped;

    /** Keeps at most {@code limit} bytes: half from the start, half from the end. */
    BoundedOutput(int limit) {
        this.headLimit = limit / 2;
        this.tail = new byte[limit - headLimit];
    }

    synchronized void write(byte[] buffer, int offset, int length) {
        int toHead = Math.min(length, headLimit - head.size());
        if (toHead > 0) {
            head.write(buffer, offset, toHead);
        }
        for (int i = offset + Math.max(toHead, 0); i < offset + length; i++) {
            if (tailLength == tail.length) {
                tailStart = (tailStart + 1) % tail.length;
                tailLength--;
                dropped++;
            }
            tail[(tailStart + tailLength) % tail.length] = buffer[i];
            tailLength++;
        }
    }

    /** The output kept, with a marker where bytes were left out. */
    synchronized String text() {
        StringBuilder text = new StringBuilder(head.toString(StandardCharsets.UTF_8));
        if (dropped > 0) {
            text.append("\n… [").append(dropped).append(" bytes of output left out] …\n");
        }
        byte[] ordered = new byte[tailLength];
        for (int i = 0; i < tailLength; i++) {
            ordered[i] = tail[(tailStart + i) % tail.length];
        }
        text.append(new String(ordered, StandardCharsets.UTF_8));
        return text.toString();
    }
}
