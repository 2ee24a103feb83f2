package dev.orchestrator.core.internal.log;

import java.util.ResourceBundle;

/**
 * A {@link System.Logger} that asks {@link System#getLogger} for its logger at its first use, not when its class is
 * initialised. For a class on the class path, {@code System.getLogger} starts the logging backend at once: a service
 * lookup over every jar, then java.util.logging's configuration. That cost a fresh JVM's resume 20–40 ms of CPU
 * before its first event, for classes that log only when something goes wrong.
 *
 * <p>Log records still name the class that logged: when the JDK looks for a log call's caller, it skips the frames
 * of every {@code System.Logger} implementation, this one's included.
 */
public final class LazyLogger implements System.Logger {

    private final String name;
    private volatile System.Logger logger;

    private LazyLogger(String name) {
        this.name = name;
    }

    /** The logger named after {@code type}, found at its first use. */
    public static System.Logger of(Class<?> type) {
        return new LazyLogger(type.getName());
    }

    private System.Logger logger() {
        System.Logger found = logger;
        if (found == null) {
            // two threads may both look it up: the backend gives them the same logger
            found = System.getLogger(name);
            logger = found;
        }
        return found;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return logger().isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        logger().log(level, bundle, message, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        logger().log(level, bundle, format, params);
    }
}
