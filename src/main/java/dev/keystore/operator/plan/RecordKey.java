package dev.keystore.operator.plan;

/**
 * The keys the operator writes in the Secrets that hold key material: the {@code -internal} and
 * {@code -ca} records, and the PEM and password keys of the output Secret. One place for the names,
 * so that reading and writing a record cannot drift apart.
 */
public enum RecordKey {
    /** The private key of the record's main entry (internal record: the stable key; CA record: the signing CA). */
    TLS_KEY("tls.key"),
    /** The certificate chain of that entry. */
    TLS_CRT("tls.crt"),
    /** Which slot the internal record's main key serves: "internal", or "primary" while it stands in for internal. */
    ROLE("role"),
    /** The password the stores are written with, so that a changed password can still open them. */
    STORE_PASSWORD("store-password"),
    /** The password the stores were written with before a change, until the stores are rewritten with the new one. */
    PREVIOUS_STORE_PASSWORD("previous-store-password"),
    /** The primary key while its rotationPolicy is Never and it does not stand in for internal. */
    PRIMARY_KEY("primary.key"),
    PRIMARY_CRT("primary.crt"),
    /** CA record: the CA introduced beside the signing one. */
    NEXT_CRT("next.crt"),
    NEXT_KEY("next.key"),
    NEXT_SINCE("next.since"),
    /** CA record: the CA that signed before, still trusted for the grace period. */
    PREVIOUS_CRT("previous.crt"),
    PREVIOUS_SINCE("previous.since"),
    /** CA record of an issuer the set follows: the chain last signed with. */
    ISSUER_CRT("issuer.crt"),
    /** Output Secret: the generated password, and the issuer's certificates. Internal record: a copy of the signing CA. */
    PASSWORD("password"),
    CA_CRT("ca.crt"),
    /** Internal record: the key of the set's own signing CA, a second home beside the -ca record. */
    CA_KEY("ca.key");

    private final String key;

    RecordKey(String key) {
        this.key = key;
    }

    /** The key in the Secret's data. */
    public String key() {
        return key;
    }
}
