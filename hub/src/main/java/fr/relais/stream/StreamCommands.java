package fr.relais.stream;

import fr.relais.command.CommandRegistry;
import io.vertx.core.json.JsonObject;

/** The stream's own socket operations. */
public final class StreamCommands {
    /** The scope an integrator needs to read its stream (subscribe, or ask its position). */
    public static final String READ_SCOPE = "stream:read";

    private StreamCommands() {
    }

    public static void register(CommandRegistry commands, Streams streams) {
        commands.registerQuery("stream.position", READ_SCOPE, (who, args) -> streams.position(who.id())
                .map(position -> new JsonObject().put("epoch", position.epoch()).put("head", position.head())
                        .put("firstRetained", position.firstRetained()).put("acked", position.acked())));
    }
}
