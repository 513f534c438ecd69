package dev.keystore.operator.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code -ca} record: a self-signed CA's state ({@code tls.crt}/{@code tls.key} signing,
 * {@code next.*} introduced, {@code previous.*} still trusted), or for an issuer the set follows,
 * {@code issuer.crt} and {@code previous.*}. {@link CaRotation} is its state machine; this type
 * names its keys and tells one record's CA keys from another's.
 */
public record CaRecord(Map<String, byte[]> fields) {
    private static final RecordKey[] KEYS = {RecordKey.TLS_CRT, RecordKey.TLS_KEY, RecordKey.NEXT_CRT, RecordKey.NEXT_KEY,
        RecordKey.NEXT_SINCE, RecordKey.PREVIOUS_CRT, RecordKey.PREVIOUS_SINCE, RecordKey.ISSUER_CRT};

    public CaRecord {
        fields = Map.copyOf(fields);
    }

    /** The record's known keys from Secret data (anything else in the Secret is not ours and is dropped). */
    public static CaRecord of(Map<String, byte[]> data) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (RecordKey k : KEYS) {
            if (data.get(k.key()) != null) {
                fields.put(k.key(), data.get(k.key()));
            }
        }
        return new CaRecord(fields);
    }

    public Map<String, byte[]> data() {
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (RecordKey k : KEYS) {
            if (fields.get(k.key()) != null) {
                data.put(k.key(), fields.get(k.key()));
            }
        }
        return data;
    }

    /** Whether the record holds a CA private key (a self-signed CA of the set's own). */
    public boolean holdsKey() {
        return fields.containsKey(RecordKey.TLS_KEY.key()) || fields.containsKey(RecordKey.NEXT_KEY.key());
    }
}
