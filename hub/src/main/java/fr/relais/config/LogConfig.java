package fr.relais.config;

/** Logging: one line per event, as text for people or as JSON for log collectors. */
public record LogConfig(Format format, Level level) {

    public enum Format { TEXT, JSON }

    public enum Level { ERROR, WARN, INFO, DEBUG, TRACE }

    static LogConfig from(Settings s) {
        return new LogConfig(s.oneOf("log.format", Format.class), s.oneOf("log.level", Level.class));
    }
}
