package dev.keystore.operator.inspect;

/**
 * One file to inspect.
 *
 * @param source how it is named to the user: the path as given, or {@code Secret <ns>/<name> key <key>}
 * @param name its file name (a Secret's key), from which its role and expected type follow
 */
record StoreFile(String source, String name, byte[] bytes) {
}
