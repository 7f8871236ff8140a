package fr.relais.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only their owner reads (mode 0600), for the development transports that write messages to a folder. */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /**
     * Writes {@code content} as {@code dir/name}, creating the folder if needed. Blocking: call it on a worker. The
     * file is written under a hidden name and renamed when whole, so whoever watches the folder sees only whole files.
     */
    public static void writeWhole(Path dir, String name, String content) throws IOException {
        Files.createDirectories(dir);
        Path partial = Files.createFile(dir.resolve("." + name + ".part"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
