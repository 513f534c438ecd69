package dev.keystore.operator.inspect;

import java.util.Locale;
import java.util.Optional;

/** The product whose own rules {@code --profile} turns on; NONE applies the rules every Java product shares. */
public enum Profile {
    NONE, WSO2, ZOWE, LIBERTY;

    public static Optional<Profile> parse(String name) {
        for (Profile p : values()) {
            if (p != NONE && p.key().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
