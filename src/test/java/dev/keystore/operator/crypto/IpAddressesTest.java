package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "0.0.0.0", "255.255.255.255", "127.0.0.1", "::1", "::", "fe80::1",
        "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "::ffff:192.0.2.1"})
    void literalsAreRecognised(String text) {
        assertTrue(IpAddresses.isLiteral(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "localhost", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.-4",
        "a.b.c.d", "1:2", "2001:db8::g", "2001:db8:::1", " 10.0.0.1", "10.0.0.1 ", "fe80::1%eth0", "[::1]"})
    void otherTextIsNotALiteral(String text) {
        assertFalse(IpAddresses.isLiteral(text), text);
    }

    @Test
    void nullIsNotALiteral() {
        assertFalse(IpAddresses.isLiteral(null));
    }

    @Test
    void canonicalGivesOneSpellingPerAddress() {
        assertEquals(IpAddresses.canonical("::1"), IpAddresses.canonical("0:0:0:0:0:0:0:1"));
        assertEquals("0:0:0:0:0:0:0:1", IpAddresses.canonical("::1"));
        assertEquals("2001:db8:0:0:0:0:0:1", IpAddresses.canonical("2001:DB8::1"));
        assertEquals("10.0.0.1", IpAddresses.canonical("10.0.0.1"));
        assertEquals("192.0.2.1", IpAddresses.canonical("::ffff:192.0.2.1"));
    }

    @Test
    void canonicalRefusesNonLiteralsWithoutResolvingThem() {
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.canonical("localhost"));
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.canonical("example.com"));
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.canonical("300.1.1.1"));
    }
}
