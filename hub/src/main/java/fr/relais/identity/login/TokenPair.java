package fr.relais.identity.login;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** What a successful login or refresh returns. {@code refreshToken} is null for integrators. */
public record TokenPair(String accessToken, Duration expiresIn, String refreshToken, JsonObject account) {

    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("tokenType", "Bearer")
                .put("accessToken", accessToken)
                .put("expiresIn", expiresIn.toSeconds());
        if (refreshToken != null) {
            json.put("refreshToken", refreshToken);
        }
        if (account != null) {
            json.put("account", account);
        }
        return json;
    }
}
