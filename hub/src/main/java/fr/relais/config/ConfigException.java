package fr.relais.config;

/** A configuration that cannot be used; its message is one line that names the key and what is wrong. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
