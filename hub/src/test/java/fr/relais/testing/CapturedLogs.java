package fr.relais.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Everything logged in this JVM while a test class runs, at DEBUG (the most an operator can turn on with
 * {@code log.level}; the per-library levels of the logging configuration stay as they are), rendered as the
 * hub's text format would render it, with messages, MDC and stack traces. Register it before the {@link TestHub}
 * so that the hub's start is captured too.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> implements BeforeAllCallback, AfterAllCallback {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private PatternLayoutEncoder encoder;
    private Level previous;

    public static CapturedLogs atDebug() {
        return new CapturedLogs();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        encoder = new PatternLayoutEncoder();
        encoder.setContext(logging);
        encoder.setPattern("%d %-5level [%thread] %logger - %mdc - %msg%n%ex");
        encoder.start();
        setContext(logging);
        setName("captured");
        start();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previous = root.getLevel();
        root.setLevel(Level.DEBUG);
        root.addAppender(this);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(this);
        root.setLevel(previous);
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }

    /** The lines logged so far that contain {@code needle}. */
    public List<String> containing(String needle) {
        return lines.stream().filter(line -> line.contains(needle)).toList();
    }

    /** How many events were captured, to show that the capture saw the hub at all. */
    public int size() {
        return lines.size();
    }
}
