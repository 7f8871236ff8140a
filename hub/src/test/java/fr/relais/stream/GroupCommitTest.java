package fr.relais.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.TestHub;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stand-alone appends are committed in groups, and one bad append does not fail the others of its group. */
class GroupCommitTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void appendsMadeTogetherCommitTogetherAndStayGapFreeEvenWithABadOneAmongThem() {
        UUID recipient = UUID.fromString(hub.people().patient("Groupe").http().get("/api/v1/me").json().getString("id"));
        UUID other = UUID.fromString(hub.people().patient("Autre").http().get("/api/v1/me").json().getString("id"));
        List<Future<StreamEvent>> appends = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            appends.add(hub.hub().streams().append(i % 3 == 0 ? other : recipient, "message.created", new JsonObject().put("n", i)));
            if (i == 300) {
                appends.add(hub.hub().streams().append(recipient, "message.created", null)); // data is required: this one fails
            }
        }
        Future.join(appends).otherwiseEmpty().await();
        assertEquals(1, appends.stream().filter(Future::failed).count(), "only the bad append failed");
        List<Long> mine = appends.stream().filter(Future::succeeded).map(Future::result)
                .filter(e -> e.recipient().equals(recipient)).map(StreamEvent::offset).sorted().toList();
        assertEquals(LongStream.rangeClosed(1, 400).boxed().toList(), mine, "gap-free, each once");
        List<Integer> order = appends.stream().filter(Future::succeeded).map(Future::result)
                .filter(e -> e.recipient().equals(recipient)).sorted((a, b) -> Long.compare(a.offset(), b.offset()))
                .map(e -> e.data().getInteger("n")).toList();
        assertTrue(isSorted(order), "one recipient's events keep the order in which they were appended");
    }

    private static boolean isSorted(List<Integer> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) < values.get(i - 1)) {
                return false;
            }
        }
        return true;
    }
}
