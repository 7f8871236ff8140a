package fr.relais.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flat view of the configuration ({@code http.port → "8080"}), with where each value came from, and
 * typed readers that fail with a message naming the key, the value, its source and what was expected.
 */
public final class Settings {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private static final Pattern USER_INFO = Pattern.compile("://[^/@]*@");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    void put(String key, String value, String source) {
        values.put(key, value);
        sources.put(key, source);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The keys that start with {@code prefix}, in file order. */
    public java.util.List<String> keysUnder(String prefix) {
        return values.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    /** A comma-separated list (a YAML sequence is read as one), without blanks. */
    public java.util.List<String> list(String key) {
        return java.util.Arrays.stream(string(key).split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    public String string(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new ConfigException("configuration key " + key + " is missing");
        }
        return value.strip();
    }

    public Optional<String> optionalString(String key) {
        String value = string(key);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public String nonBlank(String key) {
        return optionalString(key).orElseThrow(() -> invalid(key, "must not be empty"));
    }

    public int integer(String key, int min, int max) {
        try {
            int value = Integer.parseInt(string(key));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(key, "must be a whole number from " + min + " to " + max);
    }

    public boolean bool(String key) {
        return switch (string(key).toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, "must be true or false");
        };
    }

    /** A size such as {@code 1048576}, {@code 64KiB} or {@code 1MiB}, between min and max bytes. */
    public long bytes(String key, long min, long max) {
        Matcher m = SIZE.matcher(string(key));
        if (m.matches()) {
            long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
                case "KiB" -> 1L << 10;
                case "MiB" -> 1L << 20;
                case "GiB" -> 1L << 30;
                default -> 1L;
            };
            try {
                long value = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (ArithmeticException | NumberFormatException ignored) {
                // reported below
            }
        }
        throw invalid(key, "must be a size from " + min + " to " + max + " bytes, such as 512KiB or 1MiB");
    }

    /** A duration such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h} or {@code 30d}. */
    public Duration duration(String key, Duration min, Duration max) {
        Matcher m = DURATION.matcher(string(key));
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                Duration value = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                if (value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
                    return value;
                }
            } catch (NumberFormatException | ArithmeticException ignored) {
                // reported below
            }
        }
        throw invalid(key, "must be a duration from " + min + " to " + max + ", such as 500ms, 10s, 5m or 2h");
    }

    /** One of the constants of {@code type}, written in any case with '-' for '_'. */
    public <E extends Enum<E>> E oneOf(String key, Class<E> type) {
        String wanted = string(key).toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw invalid(key, "must be one of " + allowed);
    }

    public Optional<Path> optionalPath(String key) {
        return optionalString(key).map(Path::of);
    }

    public ConfigException invalid(String key, String expectation) {
        String value = values.get(key);
        String shown = key.toLowerCase(Locale.ROOT).contains("password") || key.toLowerCase(Locale.ROOT).contains("secret")
                ? "(hidden)" : "'" + USER_INFO.matcher(String.valueOf(value)).replaceFirst("://***@") + "'";
        return new ConfigException("configuration error: " + key + " = " + shown + " (from " + sources.get(key)
                + ") " + expectation);
    }
}
