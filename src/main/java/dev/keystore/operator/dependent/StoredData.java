package dev.keystore.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one decoder of the bytes a Secret or ConfigMap stores, for objects read from the API server
 * and from manifests alike: Secret {@code data} (base64) then {@code stringData} (UTF-8, wins as
 * the API server merges it); ConfigMap {@code data} (UTF-8) and {@code binaryData} (base64).
 * Base64 is read as the API server reads it: line breaks allowed, nothing else.
 */
public final class StoredData {
    private StoredData() {
    }

    /** A value that is not base64; names the field and key, never the value. */
    public static final class NotBase64 extends IllegalArgumentException {
        public final String field;
        public final String key;

        NotBase64(String field, String key) {
            super(field + "[" + key + "]: not valid base64");
            this.field = field;
            this.key = key;
        }
    }

    public static Map<String, byte[]> of(Secret secret) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        decode("data", secret.getData(), data);
        text(secret.getStringData(), data);
        return data;
    }

    public static Map<String, byte[]> of(ConfigMap configMap) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        text(configMap.getData(), data);
        decode("binaryData", configMap.getBinaryData(), data);
        return data;
    }

    /** Secret {@code data} as the operator writes it. */
    public static Map<String, String> base64(Map<String, byte[]> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
        return encoded;
    }

    private static void decode(String field, Map<String, String> encoded, Map<String, byte[]> into) {
        if (encoded == null) {
            return;
        }
        for (var e : encoded.entrySet()) {
            String value = e.getValue() == null ? "" : e.getValue().replace("\r", "").replace("\n", "");
            try {
                into.put(e.getKey(), Base64.getDecoder().decode(value));
            } catch (IllegalArgumentException ex) {
                throw new NotBase64(field, e.getKey());
            }
        }
    }

    private static void text(Map<String, String> values, Map<String, byte[]> into) {
        if (values != null) {
            values.forEach((k, v) -> into.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
        }
    }
}
