package dev.keystore.operator.api.v1alpha1;

/**
 * How a PKCS12 store is protected. Modern: PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, HmacSHA256 MAC.
 * Legacy: PBE-SHA1-3DES for keys and certificates, SHA-1 MAC (Java 8 before 8u301, IBM GSKit).
 */
public enum Pkcs12ProfileName {
    Modern, Legacy
}
