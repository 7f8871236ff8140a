package fr.relais.cli;

import fr.relais.config.ConfigLoader;
import fr.relais.config.RelaisConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command shares to find its configuration. */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file (default: conf/relais.yaml when present). "
                    + "Environment variables RELAIS_<KEY> override it.")
    Path file;

    @Option(names = "--cluster", description = "Join the other nodes (Hazelcast), as cluster.enabled: true does.")
    boolean cluster;

    RelaisConfig load() {
        RelaisConfig config = ConfigLoader.load(Optional.ofNullable(file), System.getenv(), Map.of());
        return cluster ? config.clustered() : config;
    }
}
