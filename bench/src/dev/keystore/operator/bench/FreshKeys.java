package dev.keystore.operator.bench;

import dev.keystore.operator.crypto.KeyType;
import java.security.KeyPair;
import java.security.SecureRandom;

/**
 * A fresh JVM that only generates the keys {@code render} of examples/wso2-apim.yaml generates (an
 * RSA-3072 CA and three RSA-2048 key pairs) with the crypto code's own generator: the floor render's
 * wall time is divided by (issue 23). Exits 0 and prints nothing (no key material).
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.keystore.operator.bench.FreshKeys</pre>
 */
public final class FreshKeys {
    private FreshKeys() {
    }

    public static void main(String[] args) {
        SecureRandom random = new SecureRandom();
        int bits = 0;
        for (KeyType type : new KeyType[] {KeyType.rsa(3072), KeyType.rsa(2048), KeyType.rsa(2048), KeyType.rsa(2048)}) {
            KeyPair pair = type.generate(random);
            bits += pair.getPublic().getEncoded().length; // keeps the work observable to the JIT
        }
        System.exit(bits > 0 ? 0 : 1);
    }
}
