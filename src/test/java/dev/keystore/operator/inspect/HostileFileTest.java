package dev.keystore.operator.inspect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A file of deeply nested ASN.1 given to inspect is "not a store we read", not a StackOverflowError. */
class HostileFileTest {
    @Test
    void deeplyNestedDerIsNoFormatAndNoPkcs12() {
        byte[] deep = new byte[1 << 20];
        for (int i = 0; i < deep.length / 2; i += 2) {
            deep[i] = 0x30;
            deep[i + 1] = (byte) 0x80;
        }
        assertTrue(Inspection.formatOf(deep).isEmpty());
        assertTrue(Pkcs12Protection.of(deep).isEmpty());
    }
}
