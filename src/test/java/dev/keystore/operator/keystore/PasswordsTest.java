package dev.keystore.operator.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.crypto.TestKeys;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    @Test
    void isFortyThreeUrlSafeCharactersCarrying256Bits() {
        SecureRandom random = TestKeys.seeded(1);
        for (int i = 0; i < 200; i++) {
            String password = Passwords.generate(random);
            assertEquals(43, password.length());
            assertTrue(password.matches("^[A-Za-z0-9_-]{43}$"), "only URL-safe Base64 characters, no padding");
            assertEquals(32, Base64.getUrlDecoder().decode(password).length, "256 bits");
        }
    }

    @Test
    void valuesAreDistinct() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(Passwords.generate(random)), "a password repeated");
        }
    }

    @Test
    void usesTheRandomItIsGiven() {
        assertEquals(Passwords.generate(TestKeys.seeded(5)), Passwords.generate(TestKeys.seeded(5)));
        assertNotEquals(Passwords.generate(TestKeys.seeded(5)), Passwords.generate(TestKeys.seeded(6)));
    }

    @Test
    void usesEveryCharacterOfTheAlphabetOverManyValues() {
        // a generator stuck on part of the alphabet (e.g. hex) would carry fewer bits than its length suggests
        SecureRandom random = TestKeys.seeded(2);
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            for (char c : Passwords.generate(random).toCharArray()) {
                used.add(c);
            }
        }
        assertEquals(64, used.size());
    }
}
