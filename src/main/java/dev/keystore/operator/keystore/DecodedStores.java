package dev.keystore.operator.keystore;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keystores already decoded, by content: opening a PKCS12 file derives keys from its password
 * (tens of milliseconds each), and the same bytes come back on every reconcile. The key is an
 * HMAC, under a key made at start and never kept elsewhere, of the bytes, the password and what
 * was asked, so neither the bytes nor the password can be recovered from it. Failures are kept
 * too: a wrong password costs its derivation once per content, not once per retry. Bounded, least
 * recently used first out; what it holds is never logged or exposed.
 */
final class DecodedStores {
    static final int CAPACITY = 1024;
    private static final byte[] HMAC_KEY = randomKey();

    /** What a decode gave: a value, or the message of the refusal. */
    private record Answer(Object value, String refusal) {
    }

    interface Decoder<T> {
        T decode() throws KeystoreCodec.UnreadableKeystore;
    }

    private final Map<ByteBuffer, Answer> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Answer> eldest) {
            return size() > CAPACITY;
        }
    };
    private final AtomicLong decodes = new AtomicLong();

    static final DecodedStores SHARED = new DecodedStores();

    @SuppressWarnings("unchecked")
    <T> T get(String question, StoreType type, byte[] bytes, char[] password, Decoder<T> decoder)
        throws KeystoreCodec.UnreadableKeystore {
        ByteBuffer key = key(question, type, bytes, password);
        Answer answer;
        synchronized (entries) {
            answer = entries.get(key);
        }
        if (answer == null) {
            decodes.incrementAndGet();
            try {
                answer = new Answer(decoder.decode(), null);
            } catch (KeystoreCodec.UnreadableKeystore e) {
                answer = new Answer(null, e.getMessage());
            }
            synchronized (entries) {
                entries.put(key, answer);
            }
        }
        if (answer.refusal != null) {
            throw new KeystoreCodec.UnreadableKeystore(answer.refusal);
        }
        return (T) answer.value;
    }

    /** How many reads were decoded rather than answered from memory, since start. */
    long decodes() {
        return decodes.get();
    }

    void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static ByteBuffer key(String question, StoreType type, byte[] bytes, char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HMAC_KEY, "HmacSHA256"));
            byte[] q = (type.name() + '\0' + question).getBytes(StandardCharsets.UTF_8);
            ByteBuffer pw = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password == null ? new char[0] : password));
            byte[] pwBytes = new byte[pw.remaining()];
            pw.get(pwBytes);
            if (pw.hasArray()) {
                Arrays.fill(pw.array(), (byte) 0);
            }
            mac.update(ByteBuffer.allocate(8).putInt(q.length).putInt(pwBytes.length).array());
            mac.update(q);
            mac.update(pwBytes);
            Arrays.fill(pwBytes, (byte) 0);
            mac.update(bytes);
            return ByteBuffer.wrap(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available");
        }
    }
}
