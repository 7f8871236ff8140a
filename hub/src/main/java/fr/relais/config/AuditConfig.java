package fr.relais.config;

import java.nio.file.Path;
import java.time.Duration;

/** How often the heads of the audit chains are signed, and where this node keeps its copy of those checkpoints. */
public record AuditConfig(Duration checkpointEvery, Path checkpointDir) {

    static AuditConfig from(Settings s) {
        return new AuditConfig(s.duration("audit.checkpointEvery", Duration.ofSeconds(1), Duration.ofDays(1)),
                Path.of(s.nonBlank("audit.checkpointDir")));
    }
}
