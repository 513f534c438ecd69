package dev.keystore.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredDataTest {
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void secretDataIsBase64AndStringDataWins() {
        var secret = new SecretBuilder().withData(Map.of("a", "aGVs\nbG8=", "b", "AAEC"))
            .withStringData(Map.of("b", "text")).build();
        Map<String, byte[]> data = StoredData.of(secret);
        assertEquals(List.of("a", "b"), data.keySet().stream().sorted().toList());
        assertArrayEquals(utf8("hello"), data.get("a"), "line breaks are allowed, as the API server allows them");
        assertArrayEquals(utf8("text"), data.get("b"), "stringData is merged over data");
    }

    @Test
    void configMapDataIsTextAndBinaryDataBase64() {
        var cm = new ConfigMapBuilder().withData(Map.of("ca.crt", "PEM")).withBinaryData(Map.of("raw", "/w==")).build();
        Map<String, byte[]> data = StoredData.of(cm);
        assertArrayEquals(utf8("PEM"), data.get("ca.crt"));
        assertArrayEquals(new byte[] {(byte) 0xff}, data.get("raw"));
    }

    @Test
    void notBase64NamesTheFieldAndKeyNotTheValue() {
        var secret = new SecretBuilder().withData(Map.of("tls.key", "s3cret!value")).build();
        StoredData.NotBase64 e = assertThrows(StoredData.NotBase64.class, () -> StoredData.of(secret));
        assertEquals("data[tls.key]: not valid base64", e.getMessage());
        var cm = new ConfigMapBuilder().withBinaryData(Map.of("raw", "%%")).build();
        assertEquals("binaryData[raw]: not valid base64",
            assertThrows(StoredData.NotBase64.class, () -> StoredData.of(cm)).getMessage());
    }

    @Test
    void whatIsWrittenReadsBack() {
        Map<String, byte[]> data = Map.of("k", new byte[] {0, 1, 2, (byte) 0xfe});
        var back = StoredData.of(new SecretBuilder().withData(StoredData.base64(data)).build());
        assertArrayEquals(data.get("k"), back.get("k"));
        assertEquals(Map.of(), StoredData.of(new SecretBuilder().build()));
    }
}
