package fr.relais.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import fr.relais.testing.PushDevice;
import fr.relais.testing.VapidCheck;
import fr.relais.testing.WebPushDecryptor;
import fr.relais.testing.WebPushDecryptor.Decrypted;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test's own decryptor (what a browser does) against RFC 8291's worked example, intermediate values included;
 * then what the hub's library writes, and the hub's VAPID tokens, read by that decryptor and by a push service's checks.
 */
class WebPushEncryptionTest {
    // RFC 8291, section 5 and appendix A
    private static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
    private static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    private static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    private static final String MESSAGE = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6T"
            + "lzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    @Test
    void theDecryptorReadsTheRfcExampleWithItsIntermediateValues() throws GeneralSecurityException {
        Decrypted message = WebPushDecryptor.decrypt(b64(MESSAGE), WebPushDecryptor.privateKey(b64(UA_PRIVATE)), b64(UA_PUBLIC), b64(AUTH));
        assertArrayEquals(PLAINTEXT.getBytes(StandardCharsets.UTF_8), message.plaintext());
        assertArrayEquals(b64(SALT), message.salt());
        assertEquals(4096, message.recordSize());
        assertArrayEquals(b64(AS_PUBLIC), message.senderKey());
        assertArrayEquals(b64("kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs"), message.ecdhSecret());
        assertArrayEquals(b64("Snr3JMxaHVDXHWJn5wdC52WjpCtd2EIEGBykDcZW32k"), message.prkKey());
        assertArrayEquals(b64("S4lYMb_L0FxCeq0WhDx813KgSYqU26kOyzWUdsXYyrg"), message.ikm());
        assertArrayEquals(b64("09_eUZGrsvxChDCGRCdkLiDXrReGOEVeSCdCcPBSJSc"), message.prk());
        assertArrayEquals(b64("oIhVW04MRdy2XN9CiKLxTg"), message.cek());
        assertTrue(Base64.getUrlEncoder().withoutPadding().encodeToString(message.nonce()).startsWith("4h_95klXJ5E"));
    }

    @Test
    void aMessageChangedOnTheWayOrForAnotherDeviceDoesNotDecrypt() throws GeneralSecurityException {
        byte[] changed = b64(MESSAGE);
        changed[changed.length - 20] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> WebPushDecryptor.decrypt(changed,
                WebPushDecryptor.privateKey(b64(UA_PRIVATE)), b64(UA_PUBLIC), b64(AUTH)));
        byte[] otherSecret = b64(AUTH);
        otherSecret[0] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> WebPushDecryptor.decrypt(b64(MESSAGE),
                WebPushDecryptor.privateKey(b64(UA_PRIVATE)), b64(UA_PUBLIC), otherSecret));
    }

    @Test
    void whatTheLibraryWritesIsAnAes128gcmRecordTheBrowserReadsBackByteForByte() throws GeneralSecurityException {
        PushDevice device = PushDevice.at("https://push.example/device");
        WebPush webPush = new WebPush("mailto:contact@relais.example", VapidKeys.generate());
        byte[] payload = "{\"title\":\"Du nouveau dans votre espace santé\",\"body\":\"Vous avez 2 nouveaux messages\",\"count\":2}"
                .getBytes(StandardCharsets.UTF_8);

        byte[] first = webPush.getBody(payload, device.publicKey(), device.auth());
        Decrypted read = device.decrypt(first);
        assertArrayEquals(payload, read.plaintext());
        assertEquals(4096, read.recordSize());
        assertEquals(86 + payload.length + 1 + 16, first.length, "header, the payload, its delimiter and the tag: no padding");
        assertTrue(P256.isPoint(read.senderKey()), "the keyid is the sender's ephemeral public key");
        assertFalse(Arrays.equals(read.senderKey(), webPush.getVapidKeys().getApplicationServerKey()), "never the VAPID key");

        Decrypted again = device.decrypt(webPush.getBody(payload, device.publicKey(), device.auth()));
        assertArrayEquals(payload, again.plaintext());
        assertNotEquals(Arrays.toString(read.salt()), Arrays.toString(again.salt()), "a new salt for each message");
        assertFalse(Arrays.equals(read.senderKey(), again.senderKey()), "a new ephemeral key for each message");
    }

    @Test
    void theHubsVapidTokenPassesAPushServicesChecksOnTheHubsClock() {
        VapidKeys keys = VapidKeys.generate();
        Instant now = Instant.parse("2031-03-04T05:06:07Z"); // far from the machine's time: the token follows the hub's clock
        VapidTokens tokens = new VapidTokens(keys.getPrivateKey(), "mailto:contact@relais.example", Clock.fixed(now, ZoneOffset.UTC));
        String header = new WebPush("mailto:contact@relais.example", keys)
                .getHeadersWithToken(tokens.token(URI.create("https://push.example:8443/device/1?x=y")), 60, null, null)
                .get("Authorization");
        byte[] key = keys.getApplicationServerKey();

        assertEquals(List.of(), VapidCheck.problems(header, key, "https://push.example:8443", now));
        assertEquals(1, VapidCheck.problems(header, key, "https://other.example", now).size(), "aud is the push service's origin");
        assertEquals(1, VapidCheck.problems(header, key, "https://push.example:8443", now.plus(Duration.ofHours(13))).size(),
                "it expires 12 hours after it was made");
        assertEquals(1, VapidCheck.problems(header, VapidKeys.generate().getApplicationServerKey(), "https://push.example:8443", now).size(),
                "k is not the key the device subscribed with");
        String forged = header.replaceFirst("t=[^,]+", "t=" + new VapidTokens(VapidKeys.generate().getPrivateKey(),
                "mailto:contact@relais.example", Clock.fixed(now, ZoneOffset.UTC)).token(URI.create("https://push.example:8443/device/1")));
        assertEquals(List.of("the ES256 signature does not verify with k"), VapidCheck.problems(forged, key, "https://push.example:8443", now));
    }

    @Test
    void onlyPointsOfTheCurveAreKeys() {
        byte[] point = b64(UA_PUBLIC);
        assertTrue(P256.isPoint(point));
        point[64] ^= 1;
        assertFalse(P256.isPoint(point), "y changed: off the curve");
        assertFalse(P256.isPoint(Arrays.copyOf(b64(UA_PUBLIC), 64)));
        byte[] compressed = b64(UA_PUBLIC);
        compressed[0] = 2;
        assertFalse(P256.isPoint(compressed));
    }

    private static byte[] b64(String text) {
        return Base64.getUrlDecoder().decode(text);
    }
}
