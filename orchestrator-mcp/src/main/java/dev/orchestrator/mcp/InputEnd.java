package dev.orchestrator.mcp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A stdio server's input that says when it ends: the client closed it, or died, and nobody is left to serve. */
final class InputEnd {

    private InputEnd() {
    }

    static InputStream watch(InputStream in, Runnable onEnd) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return end(super.read());
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return end(super.read(bytes, offset, length));
            }

            private int end(int read) {
                if (read < 0) {
                    onEnd.run();
                }
                return read;
            }
        };
    }
}
