package fr.relais.architecture;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dependency direction of docs/ARCHITECTURE.md ("Packages and dependency direction"), checked on the compiled
 * hub: each package uses only what the table allows it, and packages form no cycle. The root package ({@code Main},
 * {@code Hub}) wires everything and is not restricted. A planted violation shows the rules can fail.
 */
class ArchitectureTest {
    /** What each package may use besides itself, the JDK and libraries: the table in docs/ARCHITECTURE.md. */
    static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            entry("cli", Set.of("", "audit", "config", "db", "error", "identity", "logging", "mail", "notify", "principal")),
            entry("gateway", Set.of("command", "config", "db", "error", "health", "identity", "principal", "stream", "web")),
            entry("messaging", Set.of("audit", "command", "config", "error", "identity", "memory", "principal", "record", "secrets", "stream", "web")),
            entry("record", Set.of("audit", "command", "config", "error", "identity", "principal", "secrets", "stream", "web")),
            entry("profile", Set.of("audit", "command", "config", "error", "identity", "principal", "secrets", "stream", "web")),
            entry("agenda", Set.of("audit", "command", "config", "error", "identity", "principal", "profile", "secrets", "stream", "web")),
            entry("notify", Set.of("config", "error", "identity", "mail", "outbox", "principal", "secrets", "stream", "web")),
            entry("webhook", Set.of("config", "error", "identity", "net", "principal", "secrets", "stream", "web")),
            entry("push", Set.of("config", "error", "identity", "net", "outbox", "principal", "secrets", "web")),
            entry("identity", Set.of("audit", "config", "error", "mail", "memory", "outbox", "principal", "ratelimit", "secrets", "sms", "stream", "web")),
            entry("portal", Set.of()),
            entry("stream", Set.of("command", "memory", "principal")),
            entry("command", Set.of("error", "principal", "secrets")),
            entry("principal", Set.of("error")),
            entry("audit", Set.of("config", "secrets")),
            entry("mail", Set.of("config", "files", "outbox", "secrets")),
            entry("sms", Set.of("config", "error", "files", "outbox")),
            entry("outbox", Set.of("secrets")),
            entry("files", Set.of()),
            entry("ratelimit", Set.of("error")),
            entry("health", Set.of()),
            entry("metrics", Set.of()),
            entry("jobs", Set.of()),
            entry("memory", Set.of()),
            entry("node", Set.of("config")),
            entry("logging", Set.of("config")),
            entry("secrets", Set.of()),
            entry("config", Set.of("db", "web")),
            entry("db", Set.of("error", "net")),
            entry("net", Set.of("error")),
            entry("web", Set.of("error")),
            entry("error", Set.of()));

    private static final JavaClasses HUB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("fr.relais");

    @Test
    void eachPackageUsesOnlyWhatTheArchitectureAllowsAndNoneFormACycle() {
        DependencyRules.of("fr.relais", MAY_USE).forEach(rule -> rule.check(HUB));
    }

    @Test
    void everyPackageHasItsPlaceInTheTable() {
        Set<String> packages = new TreeSet<>();
        for (JavaClass type : HUB) {
            String name = type.getPackageName();
            if (name.startsWith("fr.relais.")) {
                packages.add(name.substring("fr.relais.".length()).split("\\.")[0]);
            }
        }
        assertEquals(new TreeSet<>(MAY_USE.keySet()), packages, "a new package gets a row in the table (and in docs/ARCHITECTURE.md)");
    }

    @Test
    void aPlantedViolationAndCycleAreCaught() {
        JavaClasses planted = new ClassFileImporter().importPackages("fr.relais.architecture.fixture");
        var rules = DependencyRules.of("fr.relais.architecture.fixture",
                Map.of("stream", Set.of(), "gateway", Set.of("stream")));
        ArchRule streamUsesOnlyItself = rules.get(0).getDescription().startsWith("stream") ? rules.get(0) : rules.get(1);
        AssertionError leak = assertThrows(AssertionError.class, () -> streamUsesOnlyItself.check(planted));
        assertEquals(true, leak.getMessage().contains("Leaky"), leak.getMessage());
        AssertionError cycle = assertThrows(AssertionError.class, () -> rules.get(rules.size() - 1).check(planted));
        assertEquals(true, cycle.getMessage().contains("Cycle"), cycle.getMessage());
    }
}
