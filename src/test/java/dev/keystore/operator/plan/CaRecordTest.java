package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaRecordTest {
    static final Instant NOW = TestKeys.T0;

    static Map<String, byte[]> record(CertificateAuthority ca) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("tls.crt", Pem.encode(ca.chain()).getBytes(StandardCharsets.UTF_8));
        // a PKCS#8 text with a trailing blank line: not what we would write, kept because it is the same key
        data.put("tls.key", (Pem.encode(ca.key()) + "\n").getBytes(StandardCharsets.UTF_8));
        return data;
    }

    @Test
    void parsedOnceAndWrittenBackByteForByte() throws Exception {
        CertificateAuthority ca = TestKeys.ecCa("record CA");
        Map<String, byte[]> data = record(ca);
        data.put("previous.crt", Pem.encode(List.of(TestKeys.ecCa("old CA").certificate())).getBytes(StandardCharsets.UTF_8));
        data.put("previous.since", "2026-01-01T00:00:00Z".getBytes(StandardCharsets.UTF_8));
        data.put("not-ours", new byte[] {1});
        CaRecord parsed = CaRecord.own(data, "s-ca", NOW.plusSeconds(5));
        assertEquals(ca.certificate(), parsed.signing().certificate());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), parsed.previousSince());
        assertEquals(2, parsed.trusted().size());
        Map<String, byte[]> back = parsed.data();
        assertEquals(List.of("tls.crt", "tls.key", "previous.crt", "previous.since"), List.copyOf(back.keySet()));
        for (String k : back.keySet()) {
            assertArrayEquals(data.get(k), back.get(k), k);
        }
    }

    @Test
    void aNextCaWithoutItsKeyIsRefusedByNameNotACrash() {
        CertificateAuthority ca = TestKeys.ecCa("record CA");
        Map<String, byte[]> data = record(ca);
        data.put("next.crt", data.get("tls.crt"));
        Problem p = assertThrows(Problem.Raised.class, () -> CaRecord.own(data, "s-ca", NOW)).problem();
        assertEquals(Problem.MISSING_INPUT, p.reason());
        assertEquals("Secret s-ca (next CA) has no key tls.key", p.message());
    }

    @Test
    void aFollowedIssuersDamagedRecordOnlyCostsTheOverlap() {
        CaRecord followed = CaRecord.followed(Map.of("issuer.crt", "garbage".getBytes(StandardCharsets.UTF_8),
            "previous.since", "not a time".getBytes(StandardCharsets.UTF_8)), NOW);
        assertEquals(List.of(), followed.issuer());
        assertEquals(List.of(), followed.previous());
        assertEquals(NOW, followed.previousSince(), "an unreadable time counts as now");
        assertEquals(Map.of(), followed.data());
    }
}
