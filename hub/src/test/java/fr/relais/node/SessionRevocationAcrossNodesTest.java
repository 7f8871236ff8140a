package fr.relais.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.TwoNodes;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each node remembers which sessions are live; a session that ends on one node is refused on the other at once,
 * although both had it in memory (the revocation crosses on the clustered event bus, well within the cache's time
 * to live, which the clock never reaches here).
 */
class SessionRevocationAcrossNodesTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(2);
    @RegisterExtension
    static final TwoNodes nodes = TwoNodes.create();
    private static final TestHub nodeA = nodes.nodeA();
    private static HttpTestClient onB;

    @BeforeAll
    static void clientOfNodeB() {
        onB = nodes.httpB();
    }

    @Test
    void aLogoutOnOneNodeRefusesTheAccessTokenOnTheOther() {
        Person patient = nodeA.people().patient("Déconnexion sur A");
        usedOnBothNodes(patient.accessToken());

        assertEquals(204, patient.http().post("/api/v1/auth/logout", new JsonObject()).status());

        assertRevoked(me(nodeA.http(), patient.accessToken()));
        awaitRevokedOnB(patient.accessToken());
    }

    @Test
    void aReusedRefreshTokenOnOneNodeRefusesEveryAccessTokenOfTheSessionOnTheOther() {
        Person patient = nodeA.people().patient("Jeton rejoué sur A");
        Response refreshed = nodeA.http().postJson("/api/v1/auth/refresh", new JsonObject().put("refreshToken", patient.refreshToken()));
        assertEquals(200, refreshed.status(), refreshed.body());
        String secondAccessToken = refreshed.json().getString("accessToken");
        usedOnBothNodes(patient.accessToken());
        usedOnBothNodes(secondAccessToken);

        Response reuse = nodeA.http().postJson("/api/v1/auth/refresh", new JsonObject().put("refreshToken", patient.refreshToken()));
        assertEquals("refresh_reused", reuse.json().getString("code"), reuse.body());

        awaitRevokedOnB(patient.accessToken());
        awaitRevokedOnB(secondAccessToken);
        assertRevoked(me(nodeA.http(), secondAccessToken));
    }

    @Test
    void closingASpaceOnOneNodeRefusesThePatientsAccessTokenOnTheOther() {
        Person patient = nodeA.people().patient("Fermeture sur A");
        usedOnBothNodes(patient.accessToken());

        Response closed = patient.http().post("/api/v1/me/close", new JsonObject().put("confirm", true));
        assertEquals(204, closed.status(), closed.body());

        awaitRevokedOnB(patient.accessToken());
    }

    /** After this, each node has the session in memory as live. */
    private static void usedOnBothNodes(String accessToken) {
        for (HttpTestClient node : new HttpTestClient[] {nodeA.http(), onB}) {
            Response me = me(node, accessToken);
            assertEquals(200, me.status(), me.body());
        }
    }

    private static void awaitRevokedOnB(String accessToken) {
        Eventually.await("the access token refused on node B", AT_ONCE, () -> me(onB, accessToken),
                me -> me.status() == 401 && "session_revoked".equals(me.json().getString("code")));
    }

    private static void assertRevoked(Response me) {
        assertEquals(401, me.status(), me.body());
        assertEquals("session_revoked", me.json().getString("code"));
    }

    private static Response me(HttpTestClient node, String accessToken) {
        return node.send("GET", "/api/v1/me", Map.of("Authorization", "Bearer " + accessToken));
    }
}
