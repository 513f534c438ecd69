package dev.keystore.operator.keystore;

import java.security.SecureRandom;
import java.util.Base64;

/** The one password source: 256 bits from a CSPRNG, as URL-safe Base64 (43 characters). */
public final class Passwords {
    private Passwords() {
    }

    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
