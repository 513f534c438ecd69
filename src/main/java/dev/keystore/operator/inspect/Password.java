package dev.keystore.operator.inspect;

/**
 * A store password and where it came from ({@code keystores/password}, {@code --password-env
 * KS_PASS}, {@code Secret ns/name key password}). Only the origin is ever printed.
 */
record Password(String value, String origin) {
    @Override
    public String toString() {
        return "password from " + origin;
    }
}
