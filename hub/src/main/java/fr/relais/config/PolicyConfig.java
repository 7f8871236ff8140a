package fr.relais.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access policy's settings: how long a break-glass access lasts, and the profession matrix (for each
 * profession by its wire name, the data categories it may read; the access policy checks the names at start).
 */
public record PolicyConfig(Duration emergencyAccessDuration, Map<String, List<String>> matrix) {

    static PolicyConfig from(Settings s) {
        Map<String, List<String>> matrix = new LinkedHashMap<>();
        for (String key : s.keysUnder("policy.matrix.")) {
            matrix.put(key.substring("policy.matrix.".length()), s.list(key));
        }
        return new PolicyConfig(s.duration("policy.emergencyAccessDuration", Duration.ofMinutes(5), Duration.ofDays(7)),
                Map.copyOf(matrix));
    }
}
