package fr.relais.stream;

import java.security.SecureRandom;
import java.util.Base64;

/** Epoch names: random, so a stream recreated after a reset never reuses its old history's name. */
final class Epochs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    static String fresh() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
