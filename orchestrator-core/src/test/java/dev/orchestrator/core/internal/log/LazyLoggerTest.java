package dev.orchestrator.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LazyLoggerTest {

    private final List<LogRecord> records = new ArrayList<>();
    // held: java.util.logging holds its loggers weakly
    private final Logger jul = Logger.getLogger(LazyLoggerTest.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        jul.addHandler(handler);
        jul.setLevel(java.util.logging.Level.INFO);
    }

    @AfterEach
    void stopListening() {
        jul.removeHandler(handler);
    }

    @Test
    void aRecordNamesTheClassAndMethodThatLoggedNotTheLazyLogger() {
        System.Logger log = LazyLogger.of(LazyLoggerTest.class);
        log.log(Level.WARNING, "ended {0} processes", 3);
        log.log(Level.ERROR, "it broke", new IllegalStateException("why"));

        assertEquals(2, records.size());
        LogRecord first = records.getFirst();
        assertEquals(LazyLoggerTest.class.getName(), first.getSourceClassName());
        assertEquals("aRecordNamesTheClassAndMethodThatLoggedNotTheLazyLogger", first.getSourceMethodName());
        assertEquals(java.util.logging.Level.WARNING, first.getLevel());
        assertEquals("ended 3 processes", new java.util.logging.SimpleFormatter().formatMessage(first));
        assertEquals("why", records.get(1).getThrown().getMessage());
        assertEquals(LazyLoggerTest.class.getName(), records.get(1).getSourceClassName());
    }

    @Test
    void levelsAreTheBackendsAndTheNameIsTheClasss() {
        System.Logger log = LazyLogger.of(LazyLoggerTest.class);
        assertEquals(LazyLoggerTest.class.getName(), log.getName());
        assertFalse(log.isLoggable(Level.DEBUG));
        log.log(Level.DEBUG, () -> {
            throw new AssertionError("a message below the level is not made");
        });
        assertSame(0, records.size());
    }
}
