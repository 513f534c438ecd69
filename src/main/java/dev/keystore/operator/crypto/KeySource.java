package dev.keystore.operator.crypto;

import java.security.KeyPair;
import java.security.SecureRandom;

/** Where new key pairs come from: generated on the spot, or taken from a {@link KeyPool}. */
@FunctionalInterface
public interface KeySource {
    /** A key pair of this type that no one else has been given. */
    KeyPair keyPair(KeyType type);

    /** Generates each key pair when asked, on the caller's thread. */
    static KeySource generating(SecureRandom random) {
        return type -> type.generate(random);
    }
}
