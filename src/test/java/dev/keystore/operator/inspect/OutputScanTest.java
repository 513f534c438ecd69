package dev.keystore.operator.inspect;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keystore.operator.crypto.Pem;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The scan that guards every inspect output would catch a leak (so its passing means something). */
class OutputScanTest {
    static final Specimens.Issued LEAF = Specimens.leaf("scan.example.com").issuedBy(Specimens.INTERMEDIATE);

    @Test
    void itCatchesAPemKeyAPasswordAndRawKeyBytes() {
        List<java.security.PrivateKey> keys = List.of(LEAF.key());
        String b64 = Base64.getEncoder().encodeToString(LEAF.key().getEncoded());
        for (String leak : List.of(Pem.encode(LEAF.key()), "pw=" + Specimens.PASSWORD, "x" + b64.substring(64, 200))) {
            assertThrows(AssertionFailedError.class, () -> Cli.assertNoSecrets(
                List.of(new Cli.Run(0, "report\n" + leak, "")), List.of(Specimens.PASSWORD), keys), leak.length() + "");
        }
        Cli.assertNoSecrets(List.of(new Cli.Run(0, "a clean report", "")), List.of(Specimens.PASSWORD), keys);
    }
}
