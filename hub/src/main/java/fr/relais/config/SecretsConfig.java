package fr.relais.config;

import java.nio.file.Path;
import java.util.Optional;

/** Where the master key comes from: configuration (clusters) or a key file generated at first start. */
public record SecretsConfig(Path dir, Optional<String> masterKey) {

    static SecretsConfig from(Settings s) {
        return new SecretsConfig(Path.of(s.nonBlank("secrets.dir")), s.optionalString("secrets.masterKey"));
    }
}
