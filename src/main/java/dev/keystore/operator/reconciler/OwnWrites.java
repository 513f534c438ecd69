package dev.keystore.operator.reconciler;

import dev.keystore.operator.dependent.ManagedSecret;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data the operator is about to write over an existing Secret of a set, so that the watch
 * event of that very write is not taken for a change and does not reconcile the set a second time
 * (issue 23: each such pass re-read the set's Secrets and decoded its PKCS12 stores). Only a
 * digest is kept, until the event comes back. Any other update of the Secret (other data, or a
 * second update with the same data) is still an event: a user's edit is repaired as before.
 */
final class OwnWrites {
    private final Map<String, byte[]> expected = new ConcurrentHashMap<>();

    /** Called before an update of {@code namespace/name} with {@code data}. */
    void expect(String namespace, String name, Map<String, byte[]> data) {
        expected.put(namespace + "/" + name, digest(data));
    }

    /** Called when the update did not happen (nothing to write, or it failed). */
    void forget(String namespace, String name) {
        expected.remove(namespace + "/" + name);
    }

    /** Whether {@code secret} is the echo of the write expected for it; the expectation is used up. */
    boolean isEcho(Secret secret) {
        String key = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        byte[] digest = expected.get(key);
        return digest != null && Arrays.equals(digest, digest(ManagedSecret.decode(secret))) && expected.remove(key, digest);
    }

    int size() {
        return expected.size();
    }

    static byte[] digest(Map<String, byte[]> data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : new TreeMap<>(data).entrySet()) {
                byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
                md.update(intBytes(k.length));
                md.update(k);
                md.update(intBytes(e.getValue().length));
                md.update(e.getValue());
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] intBytes(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }
}
