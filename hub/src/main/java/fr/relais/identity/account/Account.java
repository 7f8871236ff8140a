package fr.relais.identity.account;

import fr.relais.principal.Principal;
import fr.relais.principal.Profession;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A person's account as stored: for patients their INS, for professionals their RPPS and profession.
 * {@code passwordHash} is null until the account is activated.
 */
public record Account(UUID id, Principal.Kind kind, String email, String displayName, String status,
                      String passwordHash, String ins, String rpps, Profession profession, String organisation) {

    public boolean active() {
        return "active".equals(status);
    }

    /** What the account's owner (or an admin) is shown; never the password hash. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("id", id.toString()).put("kind", kind.wireName()).put("email", email)
                .put("displayName", displayName).put("status", status);
        if (ins != null) {
            json.put("ins", ins);
        }
        if (rpps != null) {
            json.put("rpps", rpps).put("profession", profession.wireName());
            if (organisation != null) {
                json.put("organisation", organisation);
            }
        }
        return json;
    }
}
