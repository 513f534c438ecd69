package dev.keystore.operator.bench;

import dev.keystore.operator.crypto.KeyType;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;

/**
 * The floor of (2) render: a fresh JVM that only generates the key pairs a first render of
 * {@code examples/wso2-apim.yaml} generates, and exits. Those are the CA's RSA-3072 (issuer.selfSigned)
 * and one RSA-2048 each for primary, tls and internal, made in that order by the same code render
 * runs ({@link KeyType#generate}: the JDK's default {@code KeyPairGenerator} provider, SunRsaSign)
 * with the same randomness ({@code new SecureRandom()}, as {@code Main} passes it to render).
 *
 * <p>Run as a whole process and timed from outside:
 * {@code java -cp target/classes:target/test-classes dev.keystore.operator.bench.FreshKeys}
 * (after {@code mvn -B -q -Pbench package -DskipTests}). It prints one line naming the key types it
 * made, never a key. Only {@code dev.keystore.operator.crypto.KeyType} and java.* are loaded besides
 * this class, so the process is JVM start + cold key generation and nothing of render's own.
 */
public final class FreshKeys {
    /** What a first render of the WSO2 example generates, in render's order. */
    static final List<KeyType> WSO2 = List.of(KeyType.rsa(3072), KeyType.rsa(2048), KeyType.rsa(2048), KeyType.rsa(2048));

    private FreshKeys() {
    }

    public static void main(String[] args) {
        SecureRandom random = new SecureRandom();
        StringBuilder made = new StringBuilder();
        for (KeyType type : WSO2) {
            KeyPair pair = type.generate(random);
            if (KeyType.bits(pair.getPublic()) != type.size()) {
                System.err.println("FreshKeys: asked for " + type.describe() + ", got " + KeyType.found(pair.getPublic()));
                System.exit(1);
            }
            made.append(made.length() == 0 ? "" : ", ").append(type.describe());
        }
        System.out.println("FreshKeys: generated " + made);
    }
}
