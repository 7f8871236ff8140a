package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.identity.session.LiveSessions;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node answers "is this session live?" from memory once it knows the answer, so a request costs no database
 * round trip for its authentication. What it remembers lasts at most {@link LiveSessions#TIME_TO_LIVE}: a revocation
 * the node never heard of (here: written behind the hub's back, announced to no one) is honoured after that.
 */
class LiveSessionCacheTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    private static final Duration PAST_THE_TIME_TO_LIVE = LiveSessions.TIME_TO_LIVE.plusSeconds(1);

    @Test
    void aKnownLiveSessionIsAnsweredWithoutReadingTheSessionTableUntilItsTimeToLiveHasPassed() {
        Person ines = hub.people().patient("Inès");
        assertEquals(200, ines.http().get("/api/v1/me").status(), "the node now knows the session is live");

        hub.sql().execute("UPDATE session SET revoked_at = now(), revoked_reason = 'test' WHERE account_id = '" + ines.id() + "'");
        Response fromMemory = ines.http().get("/api/v1/me");
        assertEquals(200, fromMemory.status(), "answered from memory, not from the session table: " + fromMemory.body());

        hub.clock().advance(PAST_THE_TIME_TO_LIVE);
        try {
            Response healed = ines.http().get("/api/v1/me");
            assertEquals(401, healed.status(), healed.body());
            assertEquals("session_revoked", healed.json().getString("code"));
        } finally {
            hub.clock().advance(PAST_THE_TIME_TO_LIVE.negated());
        }
    }

    @Test
    void anIntegratorDisabledInTheDatabaseIsRefusedOnceTheTimeToLiveHasPassed() {
        Person lab = hub.people().integrator("Laboratoire désactivé", "documents:write");
        assertEquals(200, lab.http().get("/api/v1/me").status());

        hub.sql().execute("UPDATE integrator SET disabled = true WHERE id = '" + lab.id() + "'");
        hub.clock().advance(PAST_THE_TIME_TO_LIVE);
        try {
            Response refused = lab.http().get("/api/v1/me");
            assertEquals(401, refused.status(), refused.body());
            assertEquals("session_revoked", refused.json().getString("code"));
        } finally {
            hub.clock().advance(PAST_THE_TIME_TO_LIVE.negated());
        }
    }

    /** Within that window (or the moment a revocation takes to cross the bus) the account itself may be gone. */
    @Test
    void anAccountGoneWhileItsSessionIsStillInMemoryIsRefusedNotLeftWithoutAnswer() {
        Person jules = hub.people().patient("Jules");
        assertEquals(200, jules.http().get("/api/v1/me").status());

        hub.sql().execute("DELETE FROM account WHERE id = '" + jules.id() + "'");
        Response me = jules.http().get("/api/v1/me");
        assertEquals(401, me.status(), me.body());
        assertEquals("session_revoked", me.json().getString("code"));
        Response close = jules.http().post("/api/v1/me/close", new JsonObject().put("confirm", true));
        assertEquals(401, close.status(), close.body());
        assertEquals("session_revoked", close.json().getString("code"));
    }
}
