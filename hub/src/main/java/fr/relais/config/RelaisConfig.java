package fr.relais.config;

/** The whole configuration, read once at start-up; immutable. */
public record RelaisConfig(HttpConfig http, DbConfig db, LogConfig log) {

    static RelaisConfig from(Settings s) {
        return new RelaisConfig(HttpConfig.from(s), DbConfig.from(s), LogConfig.from(s));
    }
}
