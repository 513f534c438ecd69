package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.Pem;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code -internal} record: the second, unowned home of every key with a stability promise,
 * and the password the stores are written with.
 * <ul>
 *   <li>{@code tls.key}/{@code tls.crt}/{@code role}: the key that never changes (role "internal", or
 *       "primary" while primary stands in for internal). This is the layout of every release so far.</li>
 *   <li>{@code primary.key}/{@code primary.crt}: the primary key while an internal slot exists and
 *       primary's rotationPolicy is Never (a new signing key breaks every token already issued).</li>
 *   <li>{@code ca.crt}/{@code ca.key}: a copy of the set's own signing CA, from which the {@code -ca}
 *       record is restored when it was deleted.</li>
 *   <li>{@code store-password}, and {@code previous-store-password} while the stores are still
 *       written with the password before a change.</li>
 * </ul>
 * Values stay PEM bytes as they were read, so that an unchanged record is rewritten byte for byte.
 *
 * @param stable     the key that never changes, or null
 * @param stableRole the slot it serves ("internal" when the record does not say: old records)
 * @param primary    the primary key kept for rotationPolicy Never, or null
 */
public record InternalKeyRecord(Entry stable, String stableRole, Entry primary, Entry ca, String password,
                                String previousPassword) {
    /** A private key and its certificate chain, as PEM bytes. */
    public record Entry(byte[] key, byte[] chain) {
        /** The existing PEM bytes when they hold this very key, else a new PKCS#8 encoding. */
        static byte[] keepPemKey(byte[] before, PrivateKey key) {
            if (before != null) {
                try {
                    if (Arrays.equals(Pem.privateKey(before).getEncoded(), key.getEncoded())) {
                        return before;
                    }
                } catch (Pem.PemException e) {
                    // rewrite below
                }
            }
            return Pem.encode(key).getBytes(StandardCharsets.UTF_8);
        }
    }

    public static InternalKeyRecord empty() {
        return new InternalKeyRecord(null, null, null, null, null, null);
    }

    public static InternalKeyRecord of(Map<String, byte[]> data) {
        Entry stable = data.containsKey(RecordKey.TLS_KEY.key()) || data.containsKey(RecordKey.TLS_CRT.key())
            ? new Entry(data.get(RecordKey.TLS_KEY.key()), data.get(RecordKey.TLS_CRT.key())) : null;
        String role = text(data, RecordKey.ROLE);
        Entry primary = data.containsKey(RecordKey.PRIMARY_KEY.key()) || data.containsKey(RecordKey.PRIMARY_CRT.key())
            ? new Entry(data.get(RecordKey.PRIMARY_KEY.key()), data.get(RecordKey.PRIMARY_CRT.key())) : null;
        Entry ca = data.containsKey(RecordKey.CA_KEY.key()) && data.containsKey(RecordKey.CA_CRT.key())
            ? new Entry(data.get(RecordKey.CA_KEY.key()), data.get(RecordKey.CA_CRT.key())) : null;
        return new InternalKeyRecord(stable, stable == null ? null : role == null ? SlotName.INTERNAL.key() : role, primary,
            ca, text(data, RecordKey.STORE_PASSWORD), text(data, RecordKey.PREVIOUS_STORE_PASSWORD));
    }

    public Map<String, byte[]> data() {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (stable != null) {
            put(data, RecordKey.TLS_KEY, stable.key);
            put(data, RecordKey.TLS_CRT, stable.chain);
            data.put(RecordKey.ROLE.key(), stableRole.getBytes(StandardCharsets.UTF_8));
        }
        if (primary != null) {
            put(data, RecordKey.PRIMARY_KEY, primary.key);
            put(data, RecordKey.PRIMARY_CRT, primary.chain);
        }
        if (ca != null) {
            put(data, RecordKey.CA_KEY, ca.key);
            put(data, RecordKey.CA_CRT, ca.chain);
        }
        if (password != null) {
            data.put(RecordKey.STORE_PASSWORD.key(), password.getBytes(StandardCharsets.UTF_8));
        }
        if (previousPassword != null) {
            data.put(RecordKey.PREVIOUS_STORE_PASSWORD.key(), previousPassword.getBytes(StandardCharsets.UTF_8));
        }
        return data;
    }

    /** The recorded password, when there is a non-blank one. */
    public Optional<String> recordedPassword() {
        return Optional.ofNullable(password).filter(p -> !p.isBlank());
    }

    private static void put(Map<String, byte[]> data, RecordKey key, byte[] value) {
        if (value != null) {
            data.put(key.key(), value);
        }
    }

    private static String text(Map<String, byte[]> data, RecordKey key) {
        byte[] b = data.get(key.key());
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
