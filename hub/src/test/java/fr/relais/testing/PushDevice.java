package fr.relais.testing;

import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A browser's side of a push subscription, as {@code pushManager.subscribe} makes it: a P-256 key pair and a
 * 16-byte authentication secret, for one endpoint. {@link #subscription} is what {@code PushSubscription.toJSON()}
 * gives the page to send to the hub.
 */
public record PushDevice(String endpoint, ECPrivateKey privateKey, byte[] publicKey, byte[] auth) {
    public static PushDevice at(String endpoint) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            byte[] auth = new byte[16];
            new SecureRandom().nextBytes(auth);
            return new PushDevice(endpoint, (ECPrivateKey) pair.getPrivate(), WebPushDecryptor.uncompressed((ECPublicKey) pair.getPublic()), auth);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonObject subscription() {
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        return new JsonObject().put("endpoint", endpoint).put("expirationTime", null)
                .put("keys", new JsonObject().put("p256dh", base64url.encodeToString(publicKey)).put("auth", base64url.encodeToString(auth)));
    }

    public WebPushDecryptor.Decrypted decrypt(byte[] body) throws GeneralSecurityException {
        return WebPushDecryptor.decrypt(body, privateKey, publicKey, auth);
    }
}
