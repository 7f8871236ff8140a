package fr.relais.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the configuration once, in this order, each layer overriding the one before:
 * <ol>
 *   <li>the defaults shipped in the jar (the same file as {@code conf/relais.yaml} in the repository);</li>
 *   <li>the file given with {@code --config}, or else {@code conf/relais.yaml} in the working folder if present;</li>
 *   <li>environment variables {@code RELAIS_<KEY>} ({@code http.maxBodySize → RELAIS_HTTP_MAX_BODY_SIZE});</li>
 *   <li>explicit overrides (command-line or tests).</li>
 * </ol>
 * The shipped defaults name every key there is: a key they lack is a mistake and stops start-up.
 */
public final class ConfigLoader {
    static final String DEFAULTS_RESOURCE = "/config/relais.yaml";
    private static final Path WORKING_DIR_FILE = Path.of("conf", "relais.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Sections whose keys are names chosen by the operator (one block per identity provider). */
    private static final java.util.List<String> OPEN_SECTIONS = java.util.List.of("auth.oidc.issuers.");

    private ConfigLoader() {
    }

    public static RelaisConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
        Settings settings = new Settings();
        try (InputStream defaults = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (defaults == null) {
                throw new ConfigException("the built-in defaults " + DEFAULTS_RESOURCE + " are missing from the jar");
            }
            flatten(readYaml(defaults, "built-in defaults")).forEach((k, v) -> settings.put(k, v, "built-in default"));
        } catch (IOException e) {
            throw new ConfigException("cannot read the built-in defaults: " + e.getMessage());
        }
        Optional<Path> chosen = file.isPresent() ? file : Optional.of(WORKING_DIR_FILE).filter(Files::isRegularFile);
        if (chosen.isPresent()) {
            applyFile(settings, chosen.get());
        }
        for (String key : settings.keys().toArray(String[]::new)) {
            String name = envName(key);
            if (env.containsKey(name)) {
                settings.put(key, env.get(name), "environment variable " + name);
            }
        }
        overrides.forEach((key, value) -> {
            requireKnown(settings, key, "override");
            settings.put(key, value, "override " + key);
        });
        return RelaisConfig.from(settings);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "RELAIS_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private static void applyFile(Settings settings, Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("configuration error: file " + path + " does not exist");
        }
        try (InputStream in = Files.newInputStream(path)) {
            flatten(readYaml(in, path.toString())).forEach((key, value) -> {
                requireKnown(settings, key, path.toString());
                settings.put(key, value, path.toString());
            });
        } catch (IOException e) {
            throw new ConfigException("configuration error: cannot read " + path + ": " + e.getMessage());
        }
    }

    private static void requireKnown(Settings settings, String key, String source) {
        if (!settings.has(key) && OPEN_SECTIONS.stream().noneMatch(key::startsWith)) {
            throw new ConfigException("configuration error: unknown key " + key + " (in " + source + ")");
        }
    }

    private static JsonNode readYaml(InputStream in, String source) throws IOException {
        try {
            JsonNode root = YAML.readTree(in);
            if (root == null || root.isMissingNode() || root.isNull()) {
                return YAML.createObjectNode();
            }
            if (!root.isObject()) {
                throw new ConfigException("configuration error: " + source + " must hold a mapping of keys");
            }
            return root;
        } catch (JacksonException e) {
            throw new ConfigException("configuration error: " + source + " is not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()));
        }
    }

    private static Map<String, String> flatten(JsonNode node) {
        Map<String, String> flat = new LinkedHashMap<>();
        flattenInto("", node, flat);
        return flat;
    }

    private static void flattenInto(String prefix, JsonNode node, Map<String, String> flat) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flattenInto(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), flat);
            }
        } else if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            node.forEach(item -> joined.append(joined.length() == 0 ? "" : ",").append(item.asText()));
            flat.put(prefix, joined.toString());
        } else {
            flat.put(prefix, node.isNull() ? "" : node.asText());
        }
    }
}
