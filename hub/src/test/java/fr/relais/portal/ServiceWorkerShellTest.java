package fr.relais.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service worker keeps every file of the portal's shell: a module it does not list would be missing when the
 * portal opens without the network (the page itself is kept as "/").
 */
class ServiceWorkerShellTest {
    private static final Path WEB = Path.of("src", "main", "resources", "web");

    @Test
    void theWorkersShellListsEveryFileThePortalServesUnderApp() throws IOException {
        String worker = Files.readString(WEB.resolve("sw.js"), StandardCharsets.UTF_8);
        Matcher listed = Pattern.compile("'/app/([^']+)'").matcher(worker);
        List<String> shell = listed.results().map(match -> match.group(1)).sorted().toList();
        try (Stream<Path> files = Files.list(WEB)) {
            List<String> served = files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.equals("sw.js") && !name.equals("index.html")).sorted().toList();
            assertEquals(served, shell, "the files under /app/ and the worker's shell");
        }
    }
}
