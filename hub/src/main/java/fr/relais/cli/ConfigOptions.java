package fr.relais.cli;

import fr.relais.config.ConfigLoader;
import fr.relais.config.RelaisConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command shares to find its configuration, and the clock the hub it starts reads. */
public final class ConfigOptions {
    private final Clock clock;

    public ConfigOptions() {
        this(Clock.systemUTC());
    }

    /** Tests' child processes give the hub their test clock (picocli makes mixins through {@code Main}'s factory). */
    public ConfigOptions(Clock clock) {
        this.clock = clock;
    }

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file (default: conf/relais.yaml when present). "
                    + "Environment variables RELAIS_<KEY> override it.")
    Path file;

    @Option(names = "--cluster", description = "Join the other nodes (Hazelcast), as cluster.enabled: true does.")
    boolean cluster;

    Clock clock() {
        return clock;
    }

    RelaisConfig load() {
        RelaisConfig config = ConfigLoader.load(Optional.ofNullable(file), System.getenv(), Map.of());
        return cluster ? config.clustered() : config;
    }
}
