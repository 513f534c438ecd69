package dev.keystore.operator.inspect;

import java.security.cert.X509Certificate;

/** A trusted certificate and where it was found ({@code client-truststore.jks [apim-ca]}). */
record Anchor(X509Certificate certificate, String where) {
}
