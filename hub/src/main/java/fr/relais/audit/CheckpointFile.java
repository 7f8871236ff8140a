package fr.relais.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This node's copy of the checkpoints it took, outside the database: one JSON object per line, only ever appended.
 * Someone who can write to the database but not to this node's disk cannot make the log forget a checkpoint.
 */
final class CheckpointFile {
    static final String NAME = "checkpoints.jsonl";

    /** One line of the file: the checkpoint it holds, or nothing if the line is not one. */
    record Line(int number, Optional<Checkpoint> checkpoint) {
    }

    private final Path dir;

    CheckpointFile(Path dir) {
        this.dir = dir;
    }

    Path path() {
        return dir.resolve(NAME);
    }

    /** Appends one line through Vert.x's file system (never on the event loop), written through to the disk. */
    Future<Void> append(Vertx vertx, Checkpoint checkpoint) {
        var fs = vertx.fileSystem();
        Buffer line = Buffer.buffer(checkpoint.toJson().encode() + "\n");
        return fs.mkdirs(dir.toString())
                .compose(v -> fs.open(path().toString(), new OpenOptions().setAppend(true).setCreate(true).setDsync(true)))
                .compose(file -> file.write(line).eventually(file::close));
    }

    /** Every line, in order; empty if there is no file. Blocking. */
    List<Line> read() throws IOException {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(path())) {
            return lines;
        }
        int number = 0;
        for (String text : Files.readAllLines(path(), StandardCharsets.UTF_8)) {
            number++;
            if (!text.isBlank()) {
                lines.add(new Line(number, parse(text)));
            }
        }
        return lines;
    }

    private static Optional<Checkpoint> parse(String text) {
        try {
            return Optional.of(Checkpoint.fromJson(new JsonObject(text)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
